package cn.callbox.hub.registry;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link TownshipDirectory} over the registry tables; retired call boxes are left out. Every call reads the database
 * (no cache): callers that must work while the database is down keep their own copy. Lists are sorted in Java, not by
 * SQL, so that the order is the same on H2 and on PostgreSQL whatever the collation. Thread-safe.
 */
class JdbcTownshipDirectory implements TownshipDirectory {

    private static final String CALLBOX_SELECT = "SELECT c.endpoint, p.name AS place, p.id AS point_id,"
            + " v.id AS village_id, v.name AS village_name, c.lat, c.lon, p.unit_id"
            + " FROM callbox c JOIN point p ON p.id = c.point_id JOIN village v ON v.id = p.village_id"
            + " WHERE c.retired_at IS NULL";
    private static final String UNIT_SELECT = "SELECT u.id, u.name, u.village_id, v.name AS village_name, u.lat, u.lon"
            + " FROM unit u JOIN village v ON v.id = u.village_id";
    private static final RowMapper<CallBoxInfo> CALLBOX = (rs, n) -> new CallBoxInfo(rs.getString("endpoint"),
            rs.getString("place"), rs.getString("point_id"), rs.getString("village_id"), rs.getString("village_name"),
            rs.getDouble("lat"), rs.getDouble("lon"), rs.getString("unit_id"));

    private final JdbcClient jdbc;
    private final JdbcDutyRoster roster;

    JdbcTownshipDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.roster = new JdbcDutyRoster(jdbc);
    }

    @Override
    public Optional<CallBoxInfo> callBox(String endpoint) {
        return jdbc.sql(CALLBOX_SELECT + " AND c.endpoint = ?").param(endpoint).query(CALLBOX).optional();
    }

    @Override
    public List<CallBoxInfo> callBoxes() {
        List<CallBoxInfo> boxes = new ArrayList<>(jdbc.sql(CALLBOX_SELECT).query(CALLBOX).list());
        boxes.sort(Comparator.comparing(CallBoxInfo::endpoint));
        return boxes;
    }

    @Override
    public Optional<UnitInfo> unit(String unitId) {
        List<String> boxes = sorted(jdbc.sql("SELECT c.endpoint FROM callbox c JOIN point p ON p.id = c.point_id"
                + " WHERE p.unit_id = ? AND c.retired_at IS NULL").param(unitId).query(String.class).list());
        return jdbc.sql(UNIT_SELECT + " WHERE u.id = ?").param(unitId)
                .query((rs, n) -> unitInfo(rs, boxes)).optional();
    }

    @Override
    public List<UnitInfo> units() {
        Map<String, List<String>> boxesByUnit = new HashMap<>();
        jdbc.sql("SELECT p.unit_id, c.endpoint FROM callbox c JOIN point p ON p.id = c.point_id"
                + " WHERE c.retired_at IS NULL")
                .query(rs -> {
                    boxesByUnit.computeIfAbsent(rs.getString(1), u -> new ArrayList<>()).add(rs.getString(2));
                });
        List<UnitInfo> units = new ArrayList<>(jdbc.sql(UNIT_SELECT)
                .query((rs, n) -> unitInfo(rs, sorted(boxesByUnit.getOrDefault(rs.getString("id"), List.of()))))
                .list());
        units.sort(Comparator.comparing(UnitInfo::id));
        return units;
    }

    @Override
    public List<MemberInfo> members(String unitId) {
        List<MemberInfo> members = new ArrayList<>(jdbc.sql("SELECT id, unit_id, name, role, resident FROM member"
                + " WHERE unit_id = ?").param(unitId)
                .query((rs, n) -> new MemberInfo(rs.getString("id"), rs.getString("unit_id"), rs.getString("name"),
                        rs.getString("role"), rs.getBoolean("resident")))
                .list());
        members.sort(Comparator.comparing(MemberInfo::id));
        return members;
    }

    /** The effective duty of the day: override, else pattern or V1 per-day rows, with swaps ({@link JdbcDutyRoster}). */
    @Override
    public DutyDay duty(String unitId, LocalDate day) {
        JdbcDutyRoster.DayPlan plan = roster.resolve(unitId, day).plan();
        return new DutyDay(unitId, day, plan.leaderId(), plan.onDuty());
    }

    private static UnitInfo unitInfo(java.sql.ResultSet rs, List<String> boxes) throws java.sql.SQLException {
        return new UnitInfo(rs.getString("id"), rs.getString("name"), rs.getString("village_id"),
                rs.getString("village_name"), rs.getDouble("lat"), rs.getDouble("lon"), boxes);
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        copy.sort(Comparator.naturalOrder());
        return List.copyOf(copy);
    }
}
