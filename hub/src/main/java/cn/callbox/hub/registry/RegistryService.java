package cn.callbox.hub.registry;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipSeed.CallBox;
import cn.callbox.hub.registry.TownshipSeed.Duty;
import cn.callbox.hub.registry.TownshipSeed.DutyMember;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.registry.TownshipSeed.Point;
import cn.callbox.hub.registry.TownshipSeed.Unit;
import cn.callbox.hub.registry.TownshipSeed.Village;

/**
 * Write side of the registry. Every write is checked against the rules ({@link RegistryRules}, DOMAIN.md) first and
 * then done in one transaction: a {@link RegistryRuleException} means nothing was written. Joins the caller's
 * transaction when there is one. Thread-safe.
 */
public class RegistryService {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final KeyEncryption encryption;

    /** @param encryption seals the boxes' keys before they are written */
    RegistryService(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, KeyEncryption encryption) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.encryption = encryption;
    }

    public boolean townshipExists(String townshipId) {
        return exists("SELECT COUNT(*) FROM township WHERE id = ?", townshipId);
    }

    /**
     * Writes a whole township: villages, units with their members, points, call boxes and duty days.
     *
     * @throws RegistryRuleException when the seed breaks a rule or an id is taken already; nothing is written then
     */
    public void importTownship(TownshipSeed seed) {
        RegistryRules.checkTownship(seed);
        transactions.executeWithoutResult(status -> {
            checkFree(seed);
            jdbc.sql("INSERT INTO township (id, name, district) VALUES (?, ?, ?)")
                    .params(seed.id(), seed.name(), seed.district()).update();
            for (Village village : seed.villages()) {
                jdbc.sql("INSERT INTO village (id, township_id, name) VALUES (?, ?, ?)")
                        .params(village.id(), seed.id(), village.name()).update();
            }
            for (Unit unit : seed.units()) {
                Point home = seed.points().stream().filter(p -> p.id().equals(unit.homePointId())).findFirst()
                        .orElseThrow();
                jdbc.sql("INSERT INTO unit (id, village_id, name, home_point_id, lat, lon) VALUES (?, ?, ?, NULL, ?, ?)")
                        .params(unit.id(), unit.villageId(), unit.name(), home.lat(), home.lon()).update();
                for (Member member : unit.members()) {
                    insertMember(unit.id(), member);
                }
            }
            for (Point point : seed.points()) {
                jdbc.sql("INSERT INTO point (id, village_id, kind, name, lat, lon, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .params(point.id(), point.villageId(), point.kind().dbName(), point.name(), point.lat(),
                                point.lon(), point.unitId())
                        .update();
            }
            for (Unit unit : seed.units()) {
                jdbc.sql("UPDATE unit SET home_point_id = ? WHERE id = ?").params(unit.homePointId(), unit.id())
                        .update();
            }
            for (CallBox box : seed.callBoxes()) {
                insertCallBox(box);
            }
            for (Duty duty : seed.duties()) {
                insertDuty(duty);
            }
        });
        LOG.info("Township {} imported: {} villages, {} units, {} points, {} call boxes, {} duty days", seed.id(),
                seed.villages().size(), seed.units().size(), seed.points().size(), seed.callBoxes().size(),
                seed.duties().size());
    }

    /**
     * Plans one unit's duty day (V1 per-day plan), replacing what was planned for that day. A unit with a weekly
     * pattern ({@link DutyRosterService}) follows its pattern instead; changes through the roster API tell the
     * {@link DutyListener}s, this one does not.
     *
     * @throws RegistryRuleException for an unknown unit or a day that breaks the duty rules; nothing is written then
     */
    public void planDuty(Duty duty) {
        transactions.executeWithoutResult(status -> {
            if (duty.unitId() == null || !exists("SELECT COUNT(*) FROM unit WHERE id = ?", duty.unitId())) {
                throw new RegistryRuleException(Rule.KNOWN_REFERENCE, RegistryRules.dutySubject(duty),
                        "no unit '" + duty.unitId() + "'");
            }
            Set<String> members = new HashSet<>(jdbc.sql("SELECT id FROM member WHERE unit_id = ?")
                    .param(duty.unitId()).query(String.class).list());
            RegistryRules.checkDuty(duty, members);
            jdbc.sql("DELETE FROM duty WHERE unit_id = ? AND duty_day = ?").params(duty.unitId(), duty.day()).update();
            insertDuty(duty);
        });
    }

    /** The days of {@code from}..{@code to} (both included) on which the unit has duty planned. */
    public Set<LocalDate> plannedDays(String unitId, LocalDate from, LocalDate to) {
        return new TreeSet<>(jdbc.sql("SELECT DISTINCT duty_day FROM duty WHERE unit_id = ? AND duty_day BETWEEN ? AND ?")
                .params(unitId, from, to)
                .query((rs, n) -> rs.getObject(1, LocalDate.class)).list());
    }

    /**
     * Registers one more call box at an existing point.
     *
     * @throws RegistryRuleException for a bad or taken endpoint or identity, an unknown point or a short key
     */
    public void registerCallBox(CallBox box) {
        RegistryRules.checkCallBox(box);
        transactions.executeWithoutResult(status -> {
            if (!exists("SELECT COUNT(*) FROM point WHERE id = ?", box.pointId())) {
                throw new RegistryRuleException(Rule.KNOWN_REFERENCE, "call box " + box.endpoint(),
                        "no point '" + box.pointId() + "'");
            }
            checkBoxFree(box);
            insertCallBox(box);
        });
        LOG.info("Call box {} registered at point {}", box.endpoint(), box.pointId());
    }

    /**
     * Adds a unit to an existing village, without members, points or boxes yet: members come through the roster API
     * (until it has 5 on duty the unit reads as understaffed), points and boxes through the registry import.
     *
     * @throws RegistryRuleException for a bad or taken id, a missing or long name, an unknown village or bad
     *         coordinates; nothing is written then
     */
    public void createUnit(String id, String name, String villageId, double lat, double lon) {
        RegistryRules.id("unit", id);
        String subject = "unit " + id;
        RegistryRules.name(subject, name);
        RegistryRules.coordinates(subject, lat, lon);
        transactions.executeWithoutResult(status -> {
            if (villageId == null || !exists("SELECT COUNT(*) FROM village WHERE id = ?", villageId)) {
                throw new RegistryRuleException(Rule.KNOWN_REFERENCE, subject, "no village '" + villageId + "'");
            }
            taken("unit", "SELECT COUNT(*) FROM unit WHERE id = ?", List.of(id));
            jdbc.sql("INSERT INTO unit (id, village_id, name, home_point_id, lat, lon) VALUES (?, ?, ?, NULL, ?, ?)")
                    .params(id, villageId, name.strip(), lat, lon).update();
        });
        LOG.info("Unit {} ({}) created in village {}", id, name, villageId);
    }

    /**
     * Renames and/or moves a unit (null: unchanged).
     *
     * @return false when there is no such unit
     * @throws RegistryRuleException for a blank or long name or bad coordinates; nothing is written then
     */
    public boolean changeUnit(String id, String name, Double lat, Double lon) {
        String subject = "unit " + id;
        if (name != null) {
            RegistryRules.name(subject, name);
        }
        Boolean found = transactions.execute(status -> {
            var current = jdbc.sql("SELECT lat, lon FROM unit WHERE id = ? FOR UPDATE").param(id)
                    .query((rs, n) -> new double[] { rs.getDouble(1), rs.getDouble(2) }).optional();
            if (current.isEmpty()) {
                return false;
            }
            double newLat = lat == null ? current.get()[0] : lat;
            double newLon = lon == null ? current.get()[1] : lon;
            RegistryRules.coordinates(subject, newLat, newLon);
            if (name != null) {
                jdbc.sql("UPDATE unit SET name = ? WHERE id = ?").params(name.strip(), id).update();
            }
            jdbc.sql("UPDATE unit SET lat = ?, lon = ? WHERE id = ?").params(newLat, newLon, id).update();
            return true;
        });
        if (Boolean.TRUE.equals(found)) {
            LOG.info("Unit {} changed (name {}, lat {}, lon {})", id, name, lat, lon);
        }
        return Boolean.TRUE.equals(found);
    }

    private void checkFree(TownshipSeed seed) {
        taken("township", "SELECT COUNT(*) FROM township WHERE id = ?", List.of(seed.id()));
        taken("village", "SELECT COUNT(*) FROM village WHERE id = ?", seed.villages().stream().map(Village::id).toList());
        taken("unit", "SELECT COUNT(*) FROM unit WHERE id = ?", seed.units().stream().map(Unit::id).toList());
        taken("point", "SELECT COUNT(*) FROM point WHERE id = ?", seed.points().stream().map(Point::id).toList());
        taken("member", "SELECT COUNT(*) FROM member WHERE id = ?",
                seed.units().stream().flatMap(u -> u.members().stream()).map(Member::id).toList());
        seed.callBoxes().forEach(this::checkBoxFree);
    }

    private void checkBoxFree(CallBox box) {
        taken("call box", "SELECT COUNT(*) FROM callbox WHERE endpoint = ?", List.of(box.endpoint()));
        if (exists("SELECT COUNT(*) FROM callbox WHERE psk_identity = ?", box.pskIdentity())
                || exists("SELECT COUNT(*) FROM callbox_old_identity WHERE psk_identity = ?", box.pskIdentity())) {
            throw new RegistryRuleException(Rule.UNIQUE_ID, "call box " + box.endpoint(),
                    "PSK identity '" + box.pskIdentity() + "' is registered already");
        }
    }

    private void taken(String kind, String sql, List<String> ids) {
        for (String id : ids) {
            if (exists(sql, id)) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, kind + " " + id, "it is registered already");
            }
        }
    }

    private boolean exists(String sql, Object id) {
        Long count = jdbc.sql(sql).param(id).query(Long.class).single();
        return count != null && count > 0;
    }

    private void insertMember(String unitId, Member member) {
        jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident, phone, mqtt_password_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(member.id(), unitId, member.name(), member.role(), member.resident(), member.phone(),
                        member.mqttPasswordHash())
                .update();
    }

    private void insertCallBox(CallBox box) {
        jdbc.sql("INSERT INTO callbox (endpoint, point_id, lat, lon, psk_identity, psk_key, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(box.endpoint(), box.pointId(), box.lat(), box.lon(), box.pskIdentity(),
                        encryption.seal(box.endpoint(), box.pskKey()), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }

    private void insertDuty(Duty duty) {
        for (DutyMember member : duty.members()) {
            jdbc.sql("INSERT INTO duty (unit_id, duty_day, member_id, is_leader) VALUES (?, ?, ?, ?)")
                    .params(duty.unitId(), duty.day(), member.memberId(), member.leader()).update();
        }
    }
}
