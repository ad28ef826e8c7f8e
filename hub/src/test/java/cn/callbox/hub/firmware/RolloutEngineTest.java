package cn.callbox.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.State;

/**
 * The roll-out engine over H2 with every migration, fake boxes that answer as the edge's object 5 does, and a clock
 * moved by hand. Boxes cb-1 .. cb-5 run 1.0.0; package {@code pkg-2} is 2.0.0. Default timings: download timeout
 * 10 min, install timeout 20 min, offline grace 10 min.
 */
class RolloutEngineTest {

    static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    static final String TARGET = "2.0.0";
    static final String URL = "http://hub.test:8080/firmware/download/tok-2";

    final MutableClock clock = new MutableClock(T0);
    final DataSource database = database();
    final FakeBoxes boxes = new FakeBoxes("cb-1", "cb-2", "cb-3", "cb-4", "cb-5");
    final Audit audit = new Audit();
    final FirmwareProperties settings = FirmwareProperties.defaults();
    final JdbcRolloutStore store = store(database);
    final RolloutEngine engine = new RolloutEngine(store, boxes, settings, audit, null, clock);
    final RolloutService service = new RolloutService(store, engine, new Catalog(), () -> new Directory(boxes),
            settings, audit, null, clock);

    /** The one thing the database variants change. Called while constructing the test: use no instance state. */
    DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return migrated(ds);
    }

    static DataSource migrated(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    static JdbcRolloutStore store(DataSource ds) {
        return new JdbcRolloutStore(JdbcClient.create(ds),
                new TransactionTemplate(new DataSourceTransactionManager(ds)));
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void waves_of_two_over_five_boxes_start_the_next_wave_only_after_the_last_one_succeeded() {
        String id = start(null, 2).id();
        assertThat(service.find(id).waves()).isEqualTo(3);

        engine.tick();
        assertThat(states(id)).containsExactly("downloading", "downloading", "pending", "pending", "pending");
        assertThat(boxes.get("cb-1").uris).containsExactly(URL);
        assertThat(service.find(id).boxes().get(0).fromVersion()).isEqualTo("1.0.0");
        assertThat(boxes.contacted()).containsExactlyInAnyOrder("cb-1", "cb-2");

        boxes.get("cb-1").downloaded();
        boxes.get("cb-2").downloaded();
        engine.tick();
        assertThat(states(id)).startsWith("installing", "installing", "pending");
        assertThat(boxes.get("cb-1").updates).isEqualTo(1);

        boxes.get("cb-1").restartsInto(TARGET);
        clock.advance(Duration.ofMinutes(3));
        engine.tick();
        assertThat(states(id)).startsWith("succeeded", "installing", "pending");
        assertThat(service.find(id).wave()).isEqualTo(1);

        boxes.get("cb-2").restartsInto(TARGET);
        engine.tick();
        assertThat(states(id)).containsExactly("succeeded", "succeeded", "pending", "pending", "pending");
        assertThat(service.find(id).wave()).isEqualTo(2);
        assertThat(boxes.contacted()).doesNotContain("cb-3", "cb-4", "cb-5");

        engine.tick();
        assertThat(states(id)).containsExactly("succeeded", "succeeded", "downloading", "downloading", "pending");
        assertThat(boxes.contacted()).doesNotContain("cb-5");
        install("cb-3", "cb-4");
        assertThat(service.find(id).wave()).isEqualTo(3);
        engine.tick();
        install("cb-5");

        RolloutService.RolloutView done = service.find(id);
        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.endedAt()).isEqualTo(clock.instant().toString());
        assertThat(done.counts()).containsEntry("succeeded", 5).containsEntry("failed", 0);
        assertThat(done.boxes()).allSatisfy(b -> {
            assertThat(b.result()).isEqualTo(Result.SUCCESS.code());
            assertThat(b.detail()).isEqualTo("running 2.0.0, confirmed healthy");
        });
        assertThat(audit.actions()).containsExactly("firmware-rollout", "firmware-rollout-end");
        engine.tick();
        assertThat(service.find(id)).isEqualTo(done);
    }

    @Test
    void a_rolled_back_box_halts_the_rollout_and_the_boxes_not_yet_updated_are_cancelled() {
        String id = start(List.of("cb-1", "cb-2", "cb-3", "cb-4"), 2).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        boxes.get("cb-2").downloaded();
        engine.tick();
        boxes.get("cb-1").restartsInto(TARGET);
        boxes.get("cb-2").rollsBack();
        engine.tick();

        RolloutService.RolloutView halted = service.find(id);
        assertThat(halted.state()).isEqualTo("halted");
        assertThat(halted.detail()).isEqualTo("halted: cb-2 rolled-back");
        assertThat(halted.endedAt()).isNotNull();
        assertThat(states(id)).containsExactly("succeeded", "rolled-back", "cancelled", "cancelled");
        assertThat(halted.boxes().get(1).result()).isEqualTo(Result.UPDATE_FAILED.code());
        assertThat(halted.boxes().get(1).detail()).isEqualTo("rolled back, running 1.0.0");
        assertThat(halted.boxes().get(2).detail()).isEqualTo("roll-out halted");
        assertThat(halted.counts()).containsEntry("rolled-back", 1).containsEntry("cancelled", 2);

        engine.tick();
        assertThat(boxes.contacted()).doesNotContain("cb-3", "cb-4");
        assertThat(store.running()).isEmpty();
    }

    @Test
    void a_failed_download_fails_the_box_with_its_result_and_halts_at_the_end_of_the_wave() {
        String id = start(List.of("cb-1", "cb-2", "cb-3"), 2).id();
        engine.tick();
        boxes.get("cb-1").downloadFails(Result.INTEGRITY_CHECK_FAILED);
        engine.tick();
        RolloutService.BoxView failed = service.find(id).boxes().get(0);
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.result()).isEqualTo(5);
        assertThat(failed.detail()).isEqualTo("INTEGRITY_CHECK_FAILED");
        assertThat(service.find(id).state()).isEqualTo("running");

        boxes.get("cb-2").downloaded();
        engine.tick();
        boxes.get("cb-2").restartsInto(TARGET);
        engine.tick();
        assertThat(service.find(id).state()).isEqualTo("halted");
        assertThat(service.find(id).detail()).isEqualTo("halted: cb-1 failed");
        assertThat(states(id)).containsExactly("failed", "succeeded", "cancelled");
        assertThat(boxes.get("cb-1").updates).isZero();
    }

    @Test
    void a_box_already_on_the_version_is_skipped_without_being_written_to() {
        boxes.get("cb-2").version = TARGET;
        String id = start(List.of("cb-1", "cb-2"), 5).id();
        engine.tick();
        assertThat(states(id)).containsExactly("downloading", "skipped");
        assertThat(service.find(id).boxes().get(1).detail()).isEqualTo("already on 2.0.0");
        assertThat(boxes.get("cb-2").uris).isEmpty();

        install("cb-1");
        assertThat(service.find(id).state()).isEqualTo("completed");
        assertThat(service.find(id).detail()).contains("1 succeeded", "1 skipped");
    }

    @Test
    void an_offline_box_is_waited_for_and_skipped_once_the_grace_since_its_wave_started_is_over() {
        boxes.get("cb-1").online = false;
        boxes.get("cb-3").online = false;
        String id = start(List.of("cb-1", "cb-2", "cb-3"), 2).id();
        engine.tick();
        assertThat(states(id)).containsExactly("pending", "downloading", "pending");
        clock.advance(Duration.ofMinutes(9));
        install("cb-2");
        assertThat(states(id)).containsExactly("pending", "succeeded", "pending");

        clock.advance(Duration.ofMinutes(1));
        engine.tick();
        assertThat(states(id)).containsExactly("skipped", "succeeded", "pending");
        assertThat(service.find(id).boxes().get(0).detail()).isEqualTo("offline");
        assertThat(service.find(id).wave()).isEqualTo(2);

        // the grace of wave 2 counts from its own start: cb-3 comes online within it and is updated
        clock.advance(Duration.ofMinutes(9));
        engine.tick();
        assertThat(states(id)).endsWith("pending");
        boxes.get("cb-3").online = true;
        engine.tick();
        assertThat(states(id)).endsWith("downloading");
    }

    @Test
    void a_download_that_does_not_finish_in_time_is_cancelled_on_the_box_and_fails() {
        String id = start(List.of("cb-1"), 1).id();
        engine.tick();
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        engine.tick();
        assertThat(states(id)).containsExactly("downloading");

        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(states(id)).containsExactly("failed");
        assertThat(service.find(id).boxes().get(0).detail()).isEqualTo("download timed out");
        assertThat(boxes.get("cb-1").uris).containsExactly(URL, "");
        assertThat(service.find(id).state()).isEqualTo("halted");
    }

    @Test
    void a_box_that_does_not_report_after_the_update_within_the_install_timeout_fails() {
        String id = start(List.of("cb-1"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        clock.advance(Duration.ofMinutes(8));
        engine.tick();
        boxes.get("cb-1").online = false;
        clock.advance(Duration.ofMinutes(20).minusSeconds(1));
        engine.tick();
        assertThat(states(id)).containsExactly("installing");

        clock.advance(Duration.ofSeconds(1));
        engine.tick();
        assertThat(states(id)).containsExactly("failed");
        assertThat(service.find(id).boxes().get(0).detail()).isEqualTo("no report within 20 min");
        assertThat(service.find(id).detail()).isEqualTo("halted: cb-1 failed");
    }

    @Test
    void a_box_on_trial_is_confirming_and_the_next_wave_waits_until_it_confirmed_itself() {
        String id = start(List.of("cb-1", "cb-2"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();

        // the new firmware registered: not yet an updated box
        boxes.get("cb-1").runsOnTrial(TARGET);
        engine.tick();
        assertThat(states(id)).containsExactly("confirming", "pending");
        assertThat(service.find(id).boxes().get(0).detail())
                .isEqualTo("running 2.0.0 on trial: kept once healthy for its window");
        clock.advance(Duration.ofMinutes(9));
        engine.tick();
        engine.tick();
        assertThat(states(id)).containsExactly("confirming", "pending");
        assertThat(boxes.contacted()).doesNotContain("cb-2");

        boxes.get("cb-1").confirms();
        engine.tick();
        assertThat(states(id)).containsExactly("succeeded", "pending");
        engine.tick();
        assertThat(states(id)).containsExactly("succeeded", "downloading");
    }

    @Test
    void a_firmware_that_registers_and_then_crashes_is_rolled_back_and_halts_the_rollout() {
        String id = start(List.of("cb-1", "cb-2"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();
        boxes.get("cb-1").runsOnTrial(TARGET);
        engine.tick();
        assertThat(states(id)).containsExactly("confirming", "pending");

        // it crashes within its window: the wrapper goes back to 1.0.0, which reports 8
        boxes.get("cb-1").online = false;
        clock.advance(Duration.ofMinutes(1));
        engine.tick();
        boxes.get("cb-1").rollsBack();
        engine.tick();

        RolloutService.RolloutView halted = service.find(id);
        assertThat(states(id)).containsExactly("rolled-back", "cancelled");
        assertThat(halted.state()).isEqualTo("halted");
        assertThat(halted.boxes().get(0).detail()).isEqualTo("rolled back, running 1.0.0");
    }

    @Test
    void a_rollback_the_box_could_not_do_is_a_failure_not_a_rollback() {
        String id = start(List.of("cb-1"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();
        boxes.get("cb-1").runsOnTrial(TARGET);
        engine.tick();

        boxes.get("cb-1").cannotRollBack();
        engine.tick();

        assertThat(states(id)).containsExactly("failed");
        assertThat(service.find(id).boxes().get(0).detail())
                .isEqualTo("rollback failed on the box: still running 2.0.0");
        assertThat(service.find(id).detail()).isEqualTo("halted: cb-1 failed");
    }

    @Test
    void a_box_that_never_confirms_fails_once_the_install_timeout_ran_out_again() {
        String id = start(List.of("cb-1"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();
        clock.advance(Duration.ofMinutes(19));
        boxes.get("cb-1").runsOnTrial(TARGET);
        engine.tick();
        clock.advance(Duration.ofMinutes(20).minusSeconds(1));
        engine.tick();
        assertThat(states(id)).containsExactly("confirming");

        clock.advance(Duration.ofSeconds(1));
        engine.tick();

        assertThat(states(id)).containsExactly("failed");
        assertThat(service.find(id).boxes().get(0).detail()).isEqualTo("not confirmed within 20 min");
    }

    @Test
    void a_box_confirming_when_its_rollout_is_cancelled_is_followed_to_its_end() {
        String id = start(List.of("cb-1", "cb-2"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();
        boxes.get("cb-1").runsOnTrial(TARGET);
        engine.tick();
        service.cancel(id, "admin");
        assertThat(states(id)).containsExactly("confirming", "cancelled");

        boxes.get("cb-1").confirms();
        engine.tick();

        assertThat(states(id)).containsExactly("succeeded", "cancelled");
    }

    @Test
    void a_refused_package_uri_fails_the_box() {
        boxes.get("cb-1").takesUri = false;
        String id = start(List.of("cb-1"), 1).id();
        engine.tick();
        assertThat(states(id)).containsExactly("failed");
        assertThat(service.find(id).boxes().get(0).detail()).isEqualTo("the box refused the package URI");
    }

    @Test
    void cancel_stops_pending_boxes_and_downloads_and_leaves_installing_boxes_to_finish() {
        String id = start(List.of("cb-1", "cb-2", "cb-3", "cb-4"), 3).id();
        engine.tick();
        boxes.get("cb-2").downloaded();
        engine.tick();
        assertThat(states(id)).containsExactly("downloading", "installing", "downloading", "pending");

        RolloutService.RolloutView cancelled = service.cancel(id, "admin");
        assertThat(cancelled.state()).isEqualTo("cancelled");
        assertThat(cancelled.detail()).isEqualTo("cancelled by admin");
        assertThat(cancelled.endedAt()).isEqualTo(T0.toString());
        assertThat(states(id)).containsExactly("cancelled", "installing", "cancelled", "cancelled");
        assertThat(cancelled.boxes().get(0).detail()).isEqualTo("download cancelled");
        assertThat(cancelled.boxes().get(3).detail()).isEqualTo("roll-out cancelled");
        assertThat(boxes.get("cb-1").uris).containsExactly(URL, "");
        assertThat(boxes.get("cb-3").uris).containsExactly(URL, "");
        assertThat(boxes.get("cb-2").uris).containsExactly(URL);
        assertThat(audit.actions()).containsExactly("firmware-rollout", "firmware-rollout-cancel");
        assertThat(audit.entries.get(1)).startsWith("admin firmware-rollout-cancel " + id);

        boxes.get("cb-2").restartsInto(TARGET);
        engine.tick();
        assertThat(states(id)).containsExactly("cancelled", "succeeded", "cancelled", "cancelled");
        assertThat(service.find(id).state()).isEqualTo("cancelled");
        assertThat(boxes.contacted()).doesNotContain("cb-4");

        assertThatThrownBy(() -> service.cancel(id, "admin")).isInstanceOf(RolloutService.NotRunningException.class);
        assertThat(audit.actions()).containsExactly("firmware-rollout", "firmware-rollout-cancel");
    }

    @Test
    void a_new_engine_on_the_same_database_resumes_where_the_last_one_stood() {
        String id = start(List.of("cb-1", "cb-2"), 1).id();
        engine.tick();
        boxes.get("cb-1").downloaded();
        engine.tick();
        assertThat(states(id)).containsExactly("installing", "pending");

        // the hub restarts while cb-1 installs
        RolloutEngine restarted = new RolloutEngine(store(database), boxes, settings, audit, null, clock);
        boxes.get("cb-1").restartsInto(TARGET);
        clock.advance(Duration.ofMinutes(4));
        restarted.tick();
        assertThat(states(id)).containsExactly("succeeded", "pending");
        restarted.tick();
        assertThat(states(id)).containsExactly("succeeded", "downloading");
        boxes.get("cb-2").downloaded();
        restarted.tick();
        boxes.get("cb-2").restartsInto(TARGET);
        restarted.tick();
        assertThat(service.find(id).state()).isEqualTo("completed");
    }

    @Test
    void only_one_rollout_runs_at_a_time() {
        String id = start(List.of("cb-1"), 1).id();
        assertThatThrownBy(() -> start(List.of("cb-2"), 1)).isInstanceOf(RolloutService.RunningException.class)
                .hasMessageContaining(id);
        assertThat(service.list()).hasSize(1);
        service.cancel(id, "admin");
        assertThat(start(List.of("cb-2"), 1).state()).isEqualTo("running");
        assertThat(service.list()).hasSize(2);
    }

    @Test
    void the_download_base_url_setting_wins_over_the_request_address() {
        FirmwareProperties withBase = new FirmwareProperties(List.of(), "https://hub.example.cn/", settings.tick(),
                settings.downloadTimeout(), settings.installTimeout(), settings.offlineGrace());
        RolloutService configured = new RolloutService(store, engine, new Catalog(), () -> new Directory(boxes),
                withBase, audit, null, clock);
        configured.start("pkg-2", List.of("cb-1"), 1, "http://hub.test:8080", "admin");
        engine.tick();
        assertThat(boxes.get("cb-1").uris).containsExactly("https://hub.example.cn/firmware/download/tok-2");
    }

    // ------------------------------------------------------------------ helpers

    private RolloutService.RolloutView start(List<String> endpoints, int waveSize) {
        return service.start("pkg-2", endpoints, waveSize, "http://hub.test:8080/", "admin");
    }

    /** Takes boxes already downloading through download, update and restart into the target, one tick each. */
    private void install(String... endpoints) {
        for (String endpoint : endpoints) {
            boxes.get(endpoint).downloaded();
        }
        engine.tick();
        for (String endpoint : endpoints) {
            boxes.get(endpoint).restartsInto(TARGET);
        }
        engine.tick();
    }

    private List<String> states(String id) {
        return service.find(id).boxes().stream().map(RolloutService.BoxView::state).toList();
    }

    /** Object 5 as the edge runs it: a Package URI → DOWNLOADING at once, "" → IDLE, Update once DOWNLOADED. */
    static final class FakeBox {
        boolean online = true;
        boolean takesUri = true;
        int state = State.IDLE.code();
        int result = Result.INITIAL.code();
        String version = "1.0.0";
        int updates;
        boolean contacted;
        final List<String> uris = new ArrayList<>();

        void downloaded() {
            state = State.DOWNLOADED.code();
        }

        void downloadFails(Result failure) {
            state = State.IDLE.code();
            result = failure.code();
        }

        void restartsInto(String newVersion) {
            online = true;
            state = State.IDLE.code();
            result = Result.SUCCESS.code();
            version = newVersion;
        }

        void rollsBack() {
            online = true;
            state = State.IDLE.code();
            result = Result.UPDATE_FAILED.code();
            version = "1.0.0";
        }

        /** Restarted into the new version, registered, and on trial until its healthy window is over. */
        void runsOnTrial(String newVersion) {
            online = true;
            state = State.UPDATING.code();
            result = Result.INITIAL.code();
            version = newVersion;
        }

        /** The firmware on trial stayed healthy for its window and confirmed itself. */
        void confirms() {
            state = State.IDLE.code();
            result = Result.SUCCESS.code();
        }

        /** The wrapper wanted to roll back but could not switch back: the new version runs on, reporting 8. */
        void cannotRollBack() {
            state = State.IDLE.code();
            result = Result.UPDATE_FAILED.code();
        }
    }

    static final class FakeBoxes implements FirmwareDevices {
        final Map<String, FakeBox> boxes = new LinkedHashMap<>();

        FakeBoxes(String... endpoints) {
            for (String endpoint : endpoints) {
                boxes.put(endpoint, new FakeBox());
            }
        }

        FakeBox get(String endpoint) {
            return boxes.get(endpoint);
        }

        List<String> contacted() {
            return boxes.entrySet().stream().filter(e -> e.getValue().contacted).map(Map.Entry::getKey).toList();
        }

        private FakeBox reached(String endpoint) {
            FakeBox box = boxes.get(endpoint);
            if (box == null || !box.online) {
                return null;
            }
            box.contacted = true;
            return box;
        }

        @Override
        public boolean online(String endpoint) {
            FakeBox box = boxes.get(endpoint);
            return box != null && box.online;
        }

        @Override
        public Optional<Status> status(String endpoint) {
            FakeBox box = reached(endpoint);
            return box == null ? Optional.empty() : Optional.of(new Status(box.state, box.result, box.version));
        }

        @Override
        public boolean writePackageUri(String endpoint, String uri) {
            FakeBox box = reached(endpoint);
            if (box == null) {
                return false;
            }
            box.uris.add(uri);
            if (!box.takesUri) {
                return false;
            }
            box.state = uri.isEmpty() ? State.IDLE.code() : State.DOWNLOADING.code();
            box.result = Result.INITIAL.code();
            return true;
        }

        @Override
        public boolean executeUpdate(String endpoint) {
            FakeBox box = reached(endpoint);
            if (box == null || box.state != State.DOWNLOADED.code()) {
                return false;
            }
            box.updates++;
            box.state = State.UPDATING.code();
            return true;
        }
    }

    static final class Catalog implements FirmwareCatalog {
        @Override
        public Optional<StoredFirmware> find(String id) {
            return "pkg-2".equals(id) ? Optional.of(new StoredFirmware("pkg-2", "callbox-edge", TARGET, 1234,
                    "00".repeat(32), "key-1", "tok-2", T0.minusSeconds(3600), "admin")) : Optional.empty();
        }
    }

    /** The enrolled boxes are the fake boxes. */
    static final class Directory extends EmptyTownshipDirectory {
        private final FakeBoxes boxes;

        Directory(FakeBoxes boxes) {
            this.boxes = boxes;
        }

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return boxes.boxes.containsKey(endpoint)
                    ? Optional.of(new CallBoxInfo(endpoint, "村口", "p1", "v1", "一村", 30.8, 108.4, "u1"))
                    : Optional.empty();
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return boxes.boxes.keySet().stream().map(e -> callBox(e).orElseThrow()).toList();
        }
    }

    static final class Audit implements AuditTrail {
        final List<String> entries = new ArrayList<>();

        @Override
        public void record(String actor, String action, String target, String detail) {
            entries.add(actor + " " + action + " " + target + " " + detail);
        }

        List<String> actions() {
            return entries.stream().map(e -> e.split(" ")[1]).toList();
        }

        @Override
        public List<AuditEntry> latest(int limit) {
            return List.of();
        }
    }
}
