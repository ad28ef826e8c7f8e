package cn.callbox.hub.history.influx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.ItemCount;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.history.HistoryPoint.UnitReadiness;
import cn.callbox.hub.history.ReadinessEntry;
import cn.callbox.hub.history.ReadinessHistory.HistoryUnavailableException;

/**
 * {@link InfluxReadinessHistory} against Debian's influxd started by the test on loopback: write and query back,
 * buffering on disk while InfluxDB is stopped with exact, ordered replay after, replay by a new instance (a restarted
 * hub), and a corrupt buffer file. Each test uses its own database on the class's server.
 */
class InfluxReadinessHistoryInfluxTest {

    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final Duration REPLAY = Duration.ofMillis(100);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final AtomicInteger DATABASES = new AtomicInteger();

    static Path serverDir;
    static InfluxServer server;
    static InfluxDB raw;

    @TempDir
    Path dataDir;
    String database;
    Path bufferDir;
    InfluxReadinessHistory history;

    @BeforeAll
    static void startInflux() throws Exception {
        InfluxServer.requireInstalled();
        serverDir = Files.createTempDirectory("callbox-influx-");
        server = InfluxServer.start(serverDir);
        raw = InfluxDBFactory.connect(server.url());
    }

    @AfterAll
    static void stopInflux() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newDatabase() throws Exception {
        server.start();
        database = "history_test_" + DATABASES.incrementAndGet();
        bufferDir = dataDir.resolve("history").resolve("buffer");
        history = new InfluxReadinessHistory(server.url(), database, bufferDir, REPLAY);
    }

    @AfterEach
    void closeHistory() {
        history.close();
    }

    static UnitReadiness readiness(String unit, Instant at, int helmets) {
        return new UnitReadiness(at, "houshan", "v-houshan", unit, helmets >= 4 ? "ready" : "kit-missing",
                helmets >= 4, 4, List.of(new ItemCount("helmet", 4, helmets), new ItemCount("stab-vest", 1, 1)));
    }

    @Test
    void points_are_written_and_queried_back_with_their_tags() {
        history.record(List.of(readiness("unit-a", T0, 4), readiness("unit-b", T0.plusSeconds(1), 0),
                readiness("unit-a", T0.plusSeconds(10), 3),
                new LockerItems(T0.plusSeconds(10), "houshan", "v-houshan", "unit-a", "box-1",
                        Map.of("helmet", 3, "baton", 1)),
                new CallBoxStatus(T0.plusSeconds(11), "houshan", "v-houshan", "unit-a", "box-1", false)));

        List<ReadinessEntry> entries = history.query("unit-a", T0, T0.plusSeconds(60));

        assertThat(entries).extracting(ReadinessEntry::at).containsExactly(T0, T0.plusSeconds(10));
        assertThat(entries.get(1).state()).isEqualTo("kit-missing");
        assertThat(entries.get(1).ready()).isFalse();
        assertThat(entries.get(1).onDuty()).isEqualTo(4);
        assertThat(entries.get(1).items()).containsExactly(new ItemCount("helmet", 4, 3),
                new ItemCount("stab-vest", 1, 1));
        assertThat(history.query("unit-a", T0.plusSeconds(11), T0.plusSeconds(60))).isEmpty();
        assertThat(rows("SELECT present FROM locker_items WHERE box = 'box-1' AND \"unit\" = 'unit-a' AND "
                + "village = 'v-houshan' AND township = 'houshan' AND kind = 'helmet'")).containsExactly(List.of(3.0));
        assertThat(rows("SELECT online FROM callbox_status WHERE box = 'box-1'")).containsExactly(List.of(false));
        assertThat(history.buffered()).isZero();
    }

    @Test
    void points_are_buffered_while_influx_is_down_and_replayed_once_in_order() throws Exception {
        history.record(List.of(readiness("unit-a", T0, 0)));
        history.record(List.of(readiness("unit-a", T0.plusSeconds(1), 1)));

        server.stop();
        for (int i = 2; i < 7; i++) {
            history.record(List.of(readiness("unit-a", T0.plusSeconds(i), i)));
        }
        assertThat(history.buffered()).isPositive();
        assertThat(bufferFiles()).isNotEmpty();
        assertThatThrownBy(() -> history.query("unit-a", T0, T0.plusSeconds(60)))
                .isInstanceOf(HistoryUnavailableException.class);

        server.start();
        await(() -> history.buffered() == 0, "the buffer to drain");
        // a point recorded after the replay comes after the replayed ones
        history.record(List.of(readiness("unit-a", T0.plusSeconds(7), 7)));

        List<ReadinessEntry> entries = history.query("unit-a", T0, T0.plusSeconds(60));
        assertThat(entries).extracting(e -> e.items().get(0).present()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(entries).extracting(ReadinessEntry::at).isSorted();
        assertThat(rows("SELECT count(state) FROM unit_readiness")).containsExactly(List.of(8.0));
        assertThat(bufferFiles()).isEmpty();
    }

    @Test
    void a_restarted_hub_replays_what_the_previous_instance_buffered() throws Exception {
        server.stop();
        history.record(List.of(readiness("unit-a", T0, 0), readiness("unit-a", T0.plusSeconds(1), 1)));
        history.record(List.of(readiness("unit-a", T0.plusSeconds(2), 2)));
        history.close();
        assertThat(bufferFiles()).isNotEmpty();

        server.start();
        history = new InfluxReadinessHistory(server.url(), database, bufferDir, REPLAY);
        history.record(List.of(readiness("unit-a", T0.plusSeconds(3), 3)));
        await(() -> history.buffered() == 0, "the buffer to drain");

        assertThat(history.query("unit-a", T0, T0.plusSeconds(60))).extracting(e -> e.items().get(0).present())
                .containsExactly(0, 1, 2, 3);
        assertThat(rows("SELECT count(state) FROM unit_readiness")).containsExactly(List.of(4.0));
        assertThat(bufferFiles()).isEmpty();
    }

    @Test
    void a_corrupt_buffer_file_is_set_aside_after_its_good_lines_are_replayed() throws Exception {
        history.close();
        Path file;
        try (DiskBuffer buffer = new DiskBuffer(bufferDir, Long.MAX_VALUE)) {
            buffer.append(List.of(Point.measurement("unit_readiness").time(T0.toEpochMilli(), TimeUnit.MILLISECONDS)
                    .tag("township", "houshan").tag("village", "v-houshan").tag("unit", "unit-a")
                    .addField("state", "ready").addField("ready", true).addField("on_duty", 4L)
                    .addField("helmet_required", 4L).addField("helmet_present", 4L).build().lineProtocol()));
            file = buffer.oldest().orElseThrow();
        }
        Files.write(file, "deadbeef not a record\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        history = new InfluxReadinessHistory(server.url(), database, bufferDir, REPLAY);
        await(() -> history.buffered() == 0, "the buffer to drain");

        assertThat(history.query("unit-a", T0, T0)).extracting(ReadinessEntry::items)
                .containsExactly(List.of(new ItemCount("helmet", 4, 4)));
        assertThat(bufferFiles()).isEmpty();
        try (Stream<Path> corrupt = Files.list(bufferDir.resolveSibling("corrupt"))) {
            assertThat(corrupt.map(p -> p.getFileName().toString()))
                    .singleElement().asString().startsWith(file.getFileName().toString());
        }
    }

    private List<List<Object>> rows(String query) {
        QueryResult result = raw.query(new Query(query, database));
        assertThat(result.getResults().get(0).getError()).isNull();
        return result.getResults().get(0).getSeries().get(0).getValues().stream()
                .map(row -> row.subList(1, row.size())).toList();
    }

    private List<Path> bufferFiles() throws IOException {
        try (Stream<Path> files = Files.list(bufferDir)) {
            return files.filter(f -> f.toString().endsWith(".lp")).toList();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
