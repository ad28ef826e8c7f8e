package cn.callbox.hub.registry;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole township to write into the registry in one go (demo data, a registry import). Checked against the rules of
 * DOMAIN.md by {@link RegistryService#importTownship}. Ids are topic-level safe
 * ({@link cn.callbox.protocol.mqtt.Topics#isValidLevel}); names are zh-CN.
 *
 * @param id township id, e.g. {@code houshan}
 * @param name e.g. 后山镇
 * @param district e.g. 重庆市万州区
 */
public record TownshipSeed(String id, String name, String district, List<Village> villages, List<Unit> units,
        List<Point> points, List<CallBox> callBoxes, List<Duty> duties) {

    public TownshipSeed {
        villages = List.copyOf(villages);
        units = List.copyOf(units);
        points = List.copyOf(points);
        callBoxes = List.copyOf(callBoxes);
        duties = List.copyOf(duties);
    }

    public record Village(String id, String name) {
    }

    /** Kinds of point a unit can be responsible for (DOMAIN.md: village + grid, markets, villager groups...). */
    public enum PointKind {
        GRID, MARKET, GROUP, OTHER;

        String dbName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param unitId the unit responsible for the point: primary unit for alarms raised there
     * @param lat WGS-84 degrees
     * @param lon WGS-84 degrees
     */
    public record Point(String id, String villageId, PointKind kind, String name, double lat, double lon,
            String unitId) {
    }

    /**
     * @param homePointId where the unit gathers; its coordinates are the unit's for distance calculations. Must be
     *        one of the seed's points.
     * @param members at least 5, all resident (DOMAIN.md §4.2)
     */
    public record Unit(String id, String name, String villageId, String homePointId, List<Member> members) {
        public Unit {
            members = List.copyOf(members);
        }
    }

    /**
     * @param role e.g. 综治专干, 警务助理, 驻村辅警, 民兵, 村医, 治安积极分子
     * @param resident actually lives in the village
     * @param phone nullable
     * @param mqttPasswordHash BCrypt hash of the member's MQTT password; null: the member has no MQTT access
     */
    public record Member(String id, String name, String role, boolean resident, String phone,
            String mqttPasswordHash) {
    }

    /**
     * @param pskIdentity DTLS PSK identity, unique
     * @param pskKey at least 16 bytes
     */
    public record CallBox(String endpoint, String pointId, double lat, double lon, String pskIdentity,
            byte[] pskKey) {

        /** Without the key. */
        @Override
        public String toString() {
            return "CallBox[endpoint=" + endpoint + ", pointId=" + pointId + ", lat=" + lat + ", lon=" + lon
                    + ", pskIdentity=" + pskIdentity + ", pskKey=(hidden)]";
        }
    }

    /** One unit's duty on one day: exactly one leader, at least 3 on duty in all (DOMAIN.md §4.2). */
    public record Duty(String unitId, LocalDate day, List<DutyMember> members) {
        public Duty {
            members = List.copyOf(members);
        }

        /** The day's duty with {@code leaderId} as duty leader and {@code others} on duty beside the leader. */
        public static Duty of(String unitId, LocalDate day, String leaderId, List<String> others) {
            List<DutyMember> members = new ArrayList<>();
            members.add(new DutyMember(leaderId, true));
            others.forEach(m -> members.add(new DutyMember(m, false)));
            return new Duty(unitId, day, members);
        }
    }

    /** @param leader the day's duty leader (值班长) */
    public record DutyMember(String memberId, boolean leader) {
    }
}
