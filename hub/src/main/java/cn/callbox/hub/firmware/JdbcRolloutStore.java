package cn.callbox.hub.firmware;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Roll-outs and their boxes over the hub database (tables of {@code V14__firmware_rollouts.sql}; H2 or PostgreSQL).
 * Every write is one transaction; box updates are conditional on the state the caller last read, so that two writers
 * (the engine's tick, a cancel) never overwrite each other's transitions. Times in UTC. Thread-safe.
 */
final class JdbcRolloutStore {

    private static final String ROLLOUT_COLUMNS = "id, firmware_id, version, download_url, state, wave_size, wave, "
            + "waves, wave_started_at, created_at, created_by, ended_at, detail";
    private static final String BOX_COLUMNS = "rollout_id, endpoint, ordinal, wave, state, result, detail, "
            + "from_version, updated_at";
    private static final String RUNNING = "R";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JdbcRolloutStore(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.tx = Objects.requireNonNull(tx, "tx");
    }

    /**
     * Stores a new running roll-out and its boxes in one transaction.
     *
     * @return false (nothing stored) when another roll-out is running
     */
    boolean insert(Rollout rollout, List<Rollout.Box> boxes) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("INSERT INTO firmware_rollout (" + ROLLOUT_COLUMNS + ", running_guard) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(rollout.id(), rollout.firmwareId(), rollout.version(), rollout.downloadUrl(),
                                rollout.state().wireName(), rollout.waveSize(), rollout.wave(), rollout.waves(),
                                time(rollout.waveStartedAt()), time(rollout.createdAt()), rollout.createdBy(),
                                time(rollout.endedAt()), rollout.detail(),
                                rollout.state() == Rollout.State.RUNNING ? RUNNING : null)
                        .update();
                for (Rollout.Box box : boxes) {
                    jdbc.sql("INSERT INTO firmware_rollout_box (" + BOX_COLUMNS + ") "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                            .params(box.rolloutId(), box.endpoint(), box.ordinal(), box.wave(),
                                    box.state().wireName(), box.result(), box.detail(), box.fromVersion(),
                                    time(box.updatedAt()))
                            .update();
                }
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    Optional<Rollout> rollout(String id) {
        return jdbc.sql("SELECT " + ROLLOUT_COLUMNS + " FROM firmware_rollout WHERE id = ?").param(id)
                .query(JdbcRolloutStore::rolloutRow).optional();
    }

    /** The running roll-out, if any (there is at most one). */
    Optional<Rollout> running() {
        return jdbc.sql("SELECT " + ROLLOUT_COLUMNS + " FROM firmware_rollout WHERE state = ?")
                .param(Rollout.State.RUNNING.wireName()).query(JdbcRolloutStore::rolloutRow).list().stream()
                .findFirst();
    }

    /** The newest roll-outs first, at most {@code limit}. */
    List<Rollout> latest(int limit) {
        return jdbc.sql("SELECT " + ROLLOUT_COLUMNS
                + " FROM firmware_rollout ORDER BY created_at DESC, id DESC LIMIT ?")
                .param(limit).query(JdbcRolloutStore::rolloutRow).list();
    }

    /** The roll-out's boxes in its order. */
    List<Rollout.Box> boxes(String rolloutId) {
        return jdbc.sql("SELECT " + BOX_COLUMNS + " FROM firmware_rollout_box WHERE rollout_id = ? ORDER BY ordinal")
                .param(rolloutId).query(JdbcRolloutStore::boxRow).list();
    }

    Optional<Rollout.Box> box(String rolloutId, String endpoint) {
        return jdbc.sql("SELECT " + BOX_COLUMNS + " FROM firmware_rollout_box WHERE rollout_id = ? AND endpoint = ?")
                .params(rolloutId, endpoint).query(JdbcRolloutStore::boxRow).optional();
    }

    /** The boxes of one wave, in the roll-out's order. */
    List<Rollout.Box> wave(String rolloutId, int wave) {
        return jdbc.sql("SELECT " + BOX_COLUMNS + " FROM firmware_rollout_box WHERE rollout_id = ? AND wave = ? "
                + "ORDER BY ordinal").params(rolloutId, wave).query(JdbcRolloutStore::boxRow).list();
    }

    /**
     * Boxes still installing or confirming for roll-outs that are no longer running (cancelled while the box
     * installed).
     */
    List<Rollout.Box> installingOfEnded() {
        return jdbc.sql("SELECT b.rollout_id, b.endpoint, b.ordinal, b.wave, b.state, b.result, b.detail, "
                + "b.from_version, b.updated_at FROM firmware_rollout_box b "
                + "JOIN firmware_rollout r ON r.id = b.rollout_id "
                + "WHERE b.state IN (?, ?) AND r.state <> ? ORDER BY b.rollout_id, b.ordinal")
                .params(Rollout.BoxState.INSTALLING.wireName(), Rollout.BoxState.CONFIRMING.wireName(),
                        Rollout.State.RUNNING.wireName())
                .query(JdbcRolloutStore::boxRow).list();
    }

    /** Per roll-out id, how many of its boxes are in each state. */
    Map<String, Map<Rollout.BoxState, Integer>> counts() {
        Map<String, Map<Rollout.BoxState, Integer>> counts = new HashMap<>();
        jdbc.sql("SELECT rollout_id, state, COUNT(*) AS n FROM firmware_rollout_box GROUP BY rollout_id, state")
                .query((rs, n) -> counts.computeIfAbsent(rs.getString("rollout_id"),
                        id -> new EnumMap<>(Rollout.BoxState.class))
                        .put(Rollout.BoxState.ofWire(rs.getString("state")), rs.getInt("n")))
                .list();
        return counts;
    }

    /**
     * Stores the box's new state, result, detail, from-version and time, but only when it is still in
     * {@code expected}.
     *
     * @return whether it was stored
     */
    boolean updateBox(Rollout.BoxState expected, Rollout.Box box) {
        return jdbc.sql("UPDATE firmware_rollout_box SET state = ?, result = ?, detail = ?, from_version = ?, "
                + "updated_at = ? WHERE rollout_id = ? AND endpoint = ? AND state = ?")
                .params(box.state().wireName(), box.result(), box.detail(), box.fromVersion(), time(box.updatedAt()),
                        box.rolloutId(), box.endpoint(), expected.wireName())
                .update() == 1;
    }

    /** Moves a running roll-out to its next wave. Whether it was still running. */
    boolean nextWave(String rolloutId, int wave, Instant startedAt) {
        return jdbc.sql("UPDATE firmware_rollout SET wave = ?, wave_started_at = ? WHERE id = ? AND state = ?")
                .params(wave, time(startedAt), rolloutId, Rollout.State.RUNNING.wireName()).update() == 1;
    }

    /**
     * Ends a running roll-out and, in the same transaction, moves its boxes still pending to cancelled with
     * {@code boxDetail}.
     *
     * @return whether it was still running (false: nothing changed)
     */
    boolean end(String rolloutId, Rollout.State state, String detail, String boxDetail, Instant at) {
        Boolean ended = tx.execute(status -> {
            int changed = jdbc.sql("UPDATE firmware_rollout SET state = ?, running_guard = NULL, ended_at = ?, "
                    + "detail = ? WHERE id = ? AND state = ?")
                    .params(state.wireName(), time(at), detail, rolloutId, Rollout.State.RUNNING.wireName()).update();
            if (changed == 0) {
                return false;
            }
            jdbc.sql("UPDATE firmware_rollout_box SET state = ?, detail = ?, updated_at = ? "
                    + "WHERE rollout_id = ? AND state = ?")
                    .params(Rollout.BoxState.CANCELLED.wireName(), boxDetail, time(at), rolloutId,
                            Rollout.BoxState.PENDING.wireName())
                    .update();
            return true;
        });
        return Boolean.TRUE.equals(ended);
    }

    private static Rollout rolloutRow(ResultSet rs, int n) throws SQLException {
        return new Rollout(rs.getString("id"), rs.getString("firmware_id"), rs.getString("version"),
                rs.getString("download_url"), Rollout.State.ofWire(rs.getString("state")), rs.getInt("wave_size"),
                rs.getInt("wave"), rs.getInt("waves"), instant(rs, "wave_started_at"), instant(rs, "created_at"),
                rs.getString("created_by"), instant(rs, "ended_at"), rs.getString("detail"));
    }

    private static Rollout.Box boxRow(ResultSet rs, int n) throws SQLException {
        int code = rs.getInt("result");
        Integer result = rs.wasNull() ? null : code;
        return new Rollout.Box(rs.getString("rollout_id"), rs.getString("endpoint"), rs.getInt("ordinal"),
                rs.getInt("wave"), Rollout.BoxState.ofWire(rs.getString("state")), result,
                rs.getString("detail"), rs.getString("from_version"), instant(rs, "updated_at"));
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
