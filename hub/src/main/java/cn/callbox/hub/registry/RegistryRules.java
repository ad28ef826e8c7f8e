package cn.callbox.hub.registry;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipSeed.CallBox;
import cn.callbox.hub.registry.TownshipSeed.Duty;
import cn.callbox.hub.registry.TownshipSeed.DutyMember;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.registry.TownshipSeed.Point;
import cn.callbox.hub.registry.TownshipSeed.Unit;
import cn.callbox.hub.registry.TownshipSeed.Village;
import cn.callbox.protocol.mqtt.Topics;

/**
 * The registry's rules (DOMAIN.md §4.2 and the id contract), checked before anything is written. Each check throws a
 * {@link RegistryRuleException} naming the rule and the offender. Stateless.
 */
final class RegistryRules {

    static final int MIN_MEMBERS = 5;
    static final int MIN_ON_DUTY = 3;
    static final int MIN_PSK_BYTES = 16;
    static final int MAX_NAME = 100;

    private RegistryRules() {
    }

    /** Every rule a township seed can break on its own (ids against the database are checked by the service). */
    static void checkTownship(TownshipSeed seed) {
        id("township", seed.id());
        text("township " + seed.id(), "name", seed.name());
        text("township " + seed.id(), "district", seed.district());

        Set<String> villages = unique("village", seed.villages(), Village::id);
        seed.villages().forEach(v -> text("village " + v.id(), "name", v.name()));

        Set<String> units = unique("unit", seed.units(), Unit::id);
        Map<String, Point> points = seed.points().stream().collect(Collectors.toMap(Point::id, p -> p, (a, b) -> a));
        unique("point", seed.points(), Point::id);
        for (Point point : seed.points()) {
            String subject = "point " + point.id();
            text(subject, "name", point.name());
            reference(subject, "village", point.villageId(), villages);
            reference(subject, "unit", point.unitId(), units);
            required(subject, "kind", point.kind());
            coordinates(subject, point.lat(), point.lon());
        }

        Set<String> memberIds = new HashSet<>();
        for (Unit unit : seed.units()) {
            checkUnit(unit);
            String subject = "unit " + unit.id();
            reference(subject, "village", unit.villageId(), villages);
            reference(subject, "home point", unit.homePointId(), points.keySet());
            for (Member member : unit.members()) {
                if (!memberIds.add(member.id())) {
                    throw new RegistryRuleException(Rule.UNIQUE_ID, "member " + member.id(),
                            "it is listed more than once");
                }
            }
        }

        unique("call box", seed.callBoxes(), CallBox::endpoint);
        Set<String> identities = new HashSet<>();
        for (CallBox box : seed.callBoxes()) {
            checkCallBox(box);
            reference("call box " + box.endpoint(), "point", box.pointId(), points.keySet());
            if (!identities.add(box.pskIdentity())) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, "call box " + box.endpoint(),
                        "PSK identity '" + box.pskIdentity() + "' is used twice");
            }
        }

        Map<String, Unit> unitsById = seed.units().stream().collect(Collectors.toMap(Unit::id, u -> u));
        Set<String> days = new HashSet<>();
        for (Duty duty : seed.duties()) {
            Unit unit = unitsById.get(duty.unitId());
            if (unit == null) {
                throw new RegistryRuleException(Rule.KNOWN_REFERENCE, dutySubject(duty),
                        "no unit '" + duty.unitId() + "'");
            }
            if (!days.add(duty.unitId() + "|" + duty.day())) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, dutySubject(duty), "the day is planned twice");
            }
            checkDuty(duty, unit.members().stream().map(Member::id).collect(Collectors.toSet()));
        }
    }

    /** A unit's own rules: valid ids, at least 5 members, all resident. */
    static void checkUnit(Unit unit) {
        id("unit", unit.id());
        String subject = "unit " + unit.id();
        text(subject, "name", unit.name());
        if (unit.members().size() < MIN_MEMBERS) {
            throw new RegistryRuleException(Rule.MIN_MEMBERS, subject, "it has " + unit.members().size());
        }
        for (Member member : unit.members()) {
            id("member", member.id());
            text("member " + member.id(), "name", member.name());
            text("member " + member.id(), "role", member.role());
            if (!member.resident()) {
                throw new RegistryRuleException(Rule.RESIDENT_MEMBERS, subject,
                        "member " + member.id() + " (" + member.name() + ") does not live there");
            }
        }
    }

    /**
     * A duty day's rules: exactly one leader, at least 3 on duty (leader included), all members of the unit, nobody
     * twice.
     *
     * @param unitMembers ids of the unit's members
     */
    static void checkDuty(Duty duty, Set<String> unitMembers) {
        String subject = dutySubject(duty);
        required(subject, "day", duty.day());
        Set<String> onDuty = new HashSet<>();
        for (DutyMember member : duty.members()) {
            required(subject, "member id", member.memberId());
            if (!unitMembers.contains(member.memberId())) {
                throw new RegistryRuleException(Rule.DUTY_OWN_MEMBERS, subject,
                        "'" + member.memberId() + "' is not a member of unit " + duty.unitId());
            }
            if (!onDuty.add(member.memberId())) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, subject,
                        "member " + member.memberId() + " is listed twice");
            }
        }
        List<String> leaders = duty.members().stream().filter(DutyMember::leader).map(DutyMember::memberId).toList();
        if (leaders.size() != 1) {
            throw new RegistryRuleException(Rule.ONE_DUTY_LEADER, subject,
                    leaders.isEmpty() ? "it has none" : "it has " + leaders.size() + ": " + leaders);
        }
        if (onDuty.size() < MIN_ON_DUTY) {
            throw new RegistryRuleException(Rule.MIN_ON_DUTY, subject, "it has " + onDuty.size());
        }
    }

    /** A call box's own rules: valid endpoint and identity, WGS-84 coordinates, a key of 16 bytes or more. */
    static void checkCallBox(CallBox box) {
        id("call box", box.endpoint());
        String subject = "call box " + box.endpoint();
        text(subject, "PSK identity", box.pskIdentity());
        if (box.pskIdentity().length() > 128) {
            throw new RegistryRuleException(Rule.VALID_ID, subject, "the PSK identity is longer than 128");
        }
        coordinates(subject, box.lat(), box.lon());
        if (box.pskKey() == null || box.pskKey().length < MIN_PSK_BYTES) {
            throw new RegistryRuleException(Rule.PSK_KEY, subject,
                    "it has " + (box.pskKey() == null ? 0 : box.pskKey().length));
        }
    }

    static String dutySubject(Duty duty) {
        return "duty of unit " + duty.unitId() + " on " + duty.day();
    }

    static void id(String kind, String id) {
        if (!Topics.isValidLevel(id)) {
            throw new RegistryRuleException(Rule.VALID_ID, kind + " '" + id + "'", "this id is not one");
        }
    }

    /** A name: set, not blank, at most 100 characters (the registry's name columns). */
    static void name(String subject, String name) {
        text(subject, "name", name);
        if (name.strip().length() > MAX_NAME) {
            throw new RegistryRuleException(Rule.TEXT_LENGTH, subject, "the name has " + name.strip().length());
        }
    }

    static void coordinates(String subject, double lat, double lon) {
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            throw new RegistryRuleException(Rule.COORDINATES, subject, "got " + lat + ", " + lon);
        }
    }

    private static <T> Set<String> unique(String kind, List<T> items, Function<T, String> id) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            String value = id.apply(item);
            id(kind, value);
            if (!seen.add(value)) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, kind + " " + value, "it is listed more than once");
            }
        }
        return seen;
    }

    private static void reference(String subject, String what, String id, Set<String> known) {
        if (id == null || !known.contains(id)) {
            throw new RegistryRuleException(Rule.KNOWN_REFERENCE, subject, "no " + what + " '" + id + "'");
        }
    }

    private static void text(String subject, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, field + " is missing");
        }
    }

    private static void required(String subject, String field, Object value) {
        if (value == null) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, field + " is missing");
        }
    }
}
