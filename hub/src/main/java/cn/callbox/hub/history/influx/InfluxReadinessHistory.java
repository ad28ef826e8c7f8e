package cn.callbox.hub.history.influx;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDB.ConsistencyLevel;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.InfluxDBIOException;
import org.influxdb.dto.BoundParameterQuery;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.history.HistoryPoint;
import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.ItemCount;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.history.HistoryPoint.UnitReadiness;
import cn.callbox.hub.history.ReadinessEntry;
import cn.callbox.hub.history.ReadinessHistory;
import okhttp3.OkHttpClient;

/**
 * Readiness history in InfluxDB 1.x over its HTTP API (influxdb-java), with a durable disk buffer for the times
 * InfluxDB cannot be reached. Measurements, tags and fields: docs/history.md.
 * <p>
 * {@link #record} writes the points as one batch when the buffer is empty and InfluxDB takes them; otherwise they go
 * to the end of the buffer, so that order is kept. A background thread ({@code history-replay}) pings InfluxDB every
 * {@code retryInterval} while the buffer holds anything and, once {@code /ping} answers, replays the buffer files
 * oldest first and deletes each after InfluxDB took it. Replay is idempotent: every point carries its own timestamp,
 * unique per series within this instance, and InfluxDB keeps one point per series and timestamp; so a file replayed
 * twice after a crash between write and delete still counts once.
 * <p>
 * Records InfluxDB refuses for good (e.g. a field type conflict) are written to {@code <buffer>/../corrupt/} with an
 * ERROR log, as are buffer files with bad checksums (after their good lines were replayed). Thread-safe: one lock
 * serialises writes, replay and the buffer.
 */
public final class InfluxReadinessHistory implements ReadinessHistory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxReadinessHistory.class);

    /** An ERROR is logged each time the buffer grows by this much. */
    public static final long BUFFER_WARN_BYTES = 256L * 1024 * 1024;
    /** Records per HTTP write while replaying. */
    private static final int REPLAY_CHUNK = 5000;

    private final InfluxDB influx;
    private final String url;
    private final String database;
    private final DiskBuffer buffer;
    private final ScheduledExecutorService replay;
    private final Object lock = new Object();
    private boolean databaseReady;
    private long lastNanos;
    private boolean outageLogged;

    /**
     * Connects (lazily: InfluxDB may be down) and starts the replay thread; creates the database as soon as InfluxDB
     * answers.
     *
     * @param url InfluxDB 1.x HTTP API, e.g. {@code http://127.0.0.1:8086}
     * @param database created when missing
     * @param bufferDir the disk buffer, e.g. {@code <dataDir>/history/buffer}; files left there are replayed
     * @param retryInterval how often the buffer is tried again while InfluxDB is away
     */
    public InfluxReadinessHistory(String url, String database, Path bufferDir, Duration retryInterval) {
        this.url = url;
        this.database = database;
        // short timeouts: a hung InfluxDB must not hold the history thread for long; the buffer keeps the points
        this.influx = InfluxDBFactory.connect(url, new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(10)).writeTimeout(Duration.ofSeconds(10)));
        this.buffer = new DiskBuffer(bufferDir, BUFFER_WARN_BYTES);
        this.replay = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "history-replay");
            t.setDaemon(true);
            return t;
        });
        replay.execute(this::ensureDatabaseQuietly);
        replay.scheduleWithFixedDelay(this::replayQuietly, retryInterval.toMillis(), retryInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void record(List<? extends HistoryPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        List<String> records = new ArrayList<>();
        synchronized (lock) {
            for (HistoryPoint point : points) {
                records.addAll(lines(point));
            }
            if (buffer.isEmpty()) {
                try {
                    ensureDatabase();
                    write(records);
                    return;
                } catch (InfluxDBException e) {
                    if (!retryable(e)) {
                        Path where = buffer.setAside(records, e.getMessage());
                        LOG.error("InfluxDB {} refused {} history records ({}); they are kept in {}", url,
                                records.size(), e.getMessage(), where);
                        return;
                    }
                    logOutage(e);
                }
            }
            try {
                buffer.append(records);
            } catch (UncheckedIOException e) {
                LOG.error("{} history records lost: InfluxDB is unreachable and the disk buffer refused them ({})",
                        records.size(), e.getCause().toString());
                throw e;
            }
        }
    }

    @Override
    public List<ReadinessEntry> query(String unitId, Instant from, Instant to) {
        Query query = BoundParameterQuery.QueryBuilder
                .newQuery("SELECT * FROM unit_readiness WHERE \"unit\" = $unit AND time >= " + nanos(from)
                        + " AND time <= " + nanos(to) + " ORDER BY time ASC")
                .forDatabase(database).bind("unit", unitId).create();
        QueryResult result;
        try {
            result = influx.query(query, TimeUnit.MICROSECONDS);
        } catch (InfluxDBException e) {
            throw new HistoryUnavailableException("InfluxDB " + url + " cannot be read: " + e.getMessage(), e);
        }
        if (result.hasError()) {
            return failedOrEmpty(result.getError());
        }
        List<ReadinessEntry> entries = new ArrayList<>();
        for (QueryResult.Result r : result.getResults()) {
            if (r.hasError()) {
                return failedOrEmpty(r.getError());
            }
            if (r.getSeries() == null) {
                continue;
            }
            for (QueryResult.Series series : r.getSeries()) {
                List<String> columns = series.getColumns();
                for (List<Object> row : series.getValues()) {
                    entries.add(entry(columns, row));
                }
            }
        }
        return entries;
    }

    /** Bytes waiting in the disk buffer (for tests and diagnostics). */
    public long buffered() {
        synchronized (lock) {
            return buffer.size();
        }
    }

    /** Replays the buffer now if InfluxDB answers; true when the buffer is empty afterwards. */
    public boolean replayNow() {
        synchronized (lock) {
            return replayLocked();
        }
    }

    @Override
    public void close() {
        replay.shutdownNow();
        try {
            replay.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            buffer.close();
        }
        influx.close();
    }

    private void replayQuietly() {
        try {
            replayNow();
        } catch (RuntimeException e) {
            LOG.warn("Replaying the history buffer failed; will retry: {}", e.toString());
        }
    }

    private boolean replayLocked() {
        if (buffer.isEmpty()) {
            return true;
        }
        try {
            if (!influx.ping().isGood()) {
                return false;
            }
            ensureDatabase();
        } catch (InfluxDBException e) {
            logOutage(e);
            return false;
        }
        int files = 0;
        long replayed = 0;
        while (true) {
            var file = buffer.oldest();
            if (file.isEmpty()) {
                break;
            }
            DiskBuffer.Contents contents = buffer.read(file.get());
            try {
                for (int i = 0; i < contents.records().size(); i += REPLAY_CHUNK) {
                    write(contents.records().subList(i, Math.min(contents.records().size(), i + REPLAY_CHUNK)));
                }
            } catch (InfluxDBException e) {
                if (retryable(e)) {
                    logOutage(e);
                    return false;
                }
                Path where = buffer.setAside(contents);
                LOG.error("InfluxDB {} refused history buffer file {} ({}); it is set aside as {}", url,
                        contents.file().getFileName(), e.getMessage(), where);
                continue;
            }
            replayed += contents.records().size();
            files++;
            if (contents.bad() > 0) {
                Path where = buffer.setAside(contents);
                LOG.error("History buffer file {} is corrupt: {} lines failed their checksum. Its {} good records were "
                        + "replayed; the file is set aside as {}", contents.file().getFileName(), contents.bad(),
                        contents.records().size(), where);
            } else {
                buffer.remove(contents);
            }
        }
        if (files > 0) {
            LOG.info("InfluxDB {} is back: replayed {} buffered history records from {} files", url, replayed, files);
        }
        outageLogged = false;
        return true;
    }

    private void write(List<String> records) {
        // records carry nanosecond timestamps; null retention policy = the database's default
        influx.write(database, null, ConsistencyLevel.ONE, TimeUnit.NANOSECONDS, records);
        outageLogged = false;
    }

    private void ensureDatabaseQuietly() {
        synchronized (lock) {
            try {
                ensureDatabase();
            } catch (InfluxDBException e) {
                logOutage(e);
            }
        }
    }

    private void ensureDatabase() {
        if (!databaseReady) {
            QueryResult result = influx.query(new Query("CREATE DATABASE " + identifier(database)));
            if (result.hasError()) {
                throw new InfluxDBException(result.getError());
            }
            databaseReady = true;
        }
    }

    private void logOutage(InfluxDBException e) {
        if (!outageLogged) {
            outageLogged = true;
            LOG.warn("InfluxDB {} unreachable ({}); history points are buffered on disk and replayed when it is back",
                    url, e.getMessage());
        }
    }

    /** Connection trouble and server overload are worth retrying; a refused point or query is not. */
    private static boolean retryable(InfluxDBException e) {
        if (e instanceof InfluxDBIOException) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return e.isRetryWorth() && !message.contains("unable to parse") && !message.contains("field type conflict");
    }

    private List<ReadinessEntry> failedOrEmpty(String error) {
        if (error.contains("database not found")) {
            return List.of();
        }
        throw new HistoryUnavailableException("InfluxDB " + url + " query failed: " + error, null);
    }

    private List<String> lines(HistoryPoint point) {
        if (point instanceof UnitReadiness r) {
            Point.Builder p = base("unit_readiness", r.at(), r.township(), r.village(), r.unit())
                    .addField("state", r.state()).addField("ready", r.ready()).addField("on_duty", (long) r.onDuty());
            for (ItemCount item : r.items()) {
                p.addField(item.kind() + "_required", (long) item.required())
                        .addField(item.kind() + "_present", (long) item.present());
            }
            return List.of(p.build().lineProtocol());
        }
        if (point instanceof LockerItems l) {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, Integer> e : new TreeMap<>(l.present()).entrySet()) {
                lines.add(base("locker_items", l.at(), l.township(), l.village(), l.unit()).tag("box", tag(l.box()))
                        .tag("kind", tag(e.getKey())).addField("present", (long) e.getValue()).build()
                        .lineProtocol());
            }
            return lines;
        }
        CallBoxStatus s = (CallBoxStatus) point;
        return List.of(base("callbox_status", s.at(), s.township(), s.village(), s.unit()).tag("box", tag(s.box()))
                .addField("online", s.online()).build().lineProtocol());
    }

    private Point.Builder base(String measurement, Instant at, String township, String village, String unit) {
        return Point.measurement(measurement).time(uniqueNanos(at), TimeUnit.NANOSECONDS).tag("township", tag(township))
                .tag("village", tag(village)).tag("unit", tag(unit));
    }

    /**
     * The point's time in nanoseconds, nudged forward by a few nanoseconds where needed so that no two points of this
     * instance share a timestamp: InfluxDB would keep only the last of two points of a series with the same time.
     */
    private long uniqueNanos(Instant at) {
        long nanos = nanos(at);
        lastNanos = Math.max(nanos, lastNanos + 1);
        return lastNanos;
    }

    private static long nanos(Instant at) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, at);
    }

    /** InfluxDB drops empty tags; keep the series keys complete. */
    private static String tag(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static ReadinessEntry entry(List<String> columns, List<Object> row) {
        Instant at = null;
        String state = null;
        boolean ready = false;
        int onDuty = 0;
        Map<String, Integer> required = new TreeMap<>();
        Map<String, Integer> present = new TreeMap<>();
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            Object value = row.get(i);
            if (value == null) {
                continue;
            }
            switch (column) {
                case "time" -> at = Instant.EPOCH.plus(((Number) value).longValue(), ChronoUnit.MICROS);
                case "state" -> state = value.toString();
                case "ready" -> ready = Boolean.TRUE.equals(value);
                case "on_duty" -> onDuty = ((Number) value).intValue();
                default -> {
                    if (column.endsWith("_required") && value instanceof Number n) {
                        required.put(column.substring(0, column.length() - "_required".length()), n.intValue());
                    } else if (column.endsWith("_present") && value instanceof Number n) {
                        present.put(column.substring(0, column.length() - "_present".length()), n.intValue());
                    }
                }
            }
        }
        List<ItemCount> items = new ArrayList<>();
        required.forEach((kind, req) -> items.add(new ItemCount(kind, req, present.getOrDefault(kind, 0))));
        return new ReadinessEntry(at, state, ready, onDuty, items);
    }
}
