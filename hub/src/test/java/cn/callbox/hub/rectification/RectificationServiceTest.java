package cn.callbox.hub.rectification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.readiness.ReadinessService.ItemReadiness;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rectification lifecycle on H2 with the real migrations, a recording publisher and a mutable clock. */
class RectificationServiceTest {

    static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z"); // 10:00 in Asia/Shanghai

    final MutableClock clock = new MutableClock(T0);
    final Published published = new Published();
    final JsonMapper json = JsonMapper.builder().build();
    final RectificationService service = service(clock, published);

    static RectificationService service(Clock clock, RectificationPublisher publisher) {
        SimpleDriverDataSource db = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).locations("classpath:db/migration").target("4").load().migrate();
        JdbcClient jdbc = JdbcClient.create(db);
        units(jdbc);
        jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, ?, ?)")
                .params("leader-a", "x", "unit-leader", "unit-a", T0.atOffset(ZoneOffset.UTC)).update();
        return new RectificationService(new JdbcRectificationStore(jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(db))), new Directory(), publisher,
                JsonMapper.builder().build(), clock);
    }

    /** Registry rows for unit-a and unit-b (users of unit leaders refer to their unit). */
    static void units(JdbcClient jdbc) {
        jdbc.sql("INSERT INTO township (id, name, district) VALUES ('t1', '镇', '区')").update();
        jdbc.sql("INSERT INTO village (id, township_id, name) VALUES ('v1', 't1', '村')").update();
        for (String unit : List.of("unit-a", "unit-b")) {
            jdbc.sql("INSERT INTO unit (id, village_id, name, lat, lon) VALUES (?, 'v1', ?, 30.8, 108.4)")
                    .params(unit, unit).update();
        }
    }

    /** Records every publication; fails while {@link #down} is set. */
    static final class Published implements RectificationPublisher {
        final List<String[]> messages = new CopyOnWriteArrayList<>();
        volatile boolean down;

        @Override
        public void publishRectification(String taskId, String taskJson) {
            if (down) {
                throw new IllegalStateException("broker down");
            }
            messages.add(new String[] { taskId, taskJson });
        }
    }

    static final class Directory extends EmptyTownshipDirectory {
        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return unitId.startsWith("unit-")
                    ? Optional.of(new UnitInfo(unitId, "单元", "v", "村", 30.8, 108.4, List.of("box-1")))
                    : Optional.empty();
        }

        @Override
        public List<UnitInfo> units() {
            return List.of(unit("unit-a").orElseThrow());
        }

        @Override
        public DutyDay duty(String unitId, LocalDate day) {
            return new DutyDay(unitId, day, unitId + "-m1", List.of(unitId + "-m1", "m2", "m3"));
        }
    }

    JsonNode lastPublished(String id) {
        for (int i = published.messages.size() - 1; i >= 0; i--) {
            if (published.messages.get(i)[0].equals(id)) {
                return json.readTree(published.messages.get(i)[1]);
            }
        }
        throw new AssertionError("nothing published for " + id);
    }

    @Test
    void open_assigns_the_duty_leader_sets_the_deadline_and_notifies() {
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "应急装备不足：helmet");

        Rectification task = service.get(id);
        assertThat(task.state()).isEqualTo(RectificationState.NOTIFIED);
        assertThat(task.assignee()).isEqualTo("unit-a-m1");
        assertThat(task.openedAt()).isEqualTo(T0);
        assertThat(task.dueAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(task.log()).extracting(Rectification.LogLine::message)
                .containsExactly("opened: 应急装备不足：helmet", "notified over MQTT to unit-a-m1");
        JsonNode body = lastPublished(id);
        assertThat(body.path("state").asText()).isEqualTo("notified");
        assertThat(body.path("unit").asText()).isEqualTo("unit-a");
        assertThat(body.path("reason").asText()).isEqualTo("kit-missing");
        assertThat(body.path("subject").asText()).isEqualTo("helmet");
    }

    @Test
    void deadlines_follow_the_reason() {
        Instant endOfDay = LocalDate.of(2026, 11, 30).plusDays(1).atStartOfDay(ZoneId.of("Asia/Shanghai"))
                .toInstant();
        assertThat(service.get(service.open("unit-a", Reason.UNDERSTAFFED, "2026-11-30", "d")).dueAt())
                .isEqualTo(endOfDay);
        assertThat(service.get(service.open("unit-a", Reason.SELF_TEST_FAILED, "box-1", "d")).dueAt())
                .isEqualTo(T0.plus(Duration.ofHours(48)));
        assertThat(service.get(service.open("unit-a", Reason.UNPLANNED_ACCESS, "box-1", "d")).dueAt())
                .isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void a_duplicate_open_returns_the_same_task_and_sends_nothing() {
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "d");
        int sent = published.messages.size();

        assertThat(service.open("unit-a", Reason.KIT_MISSING, "helmet", "again")).isEqualTo(id);
        assertThat(published.messages).hasSize(sent);
        assertThat(service.open("unit-a", Reason.KIT_MISSING, "baton", "d")).isNotEqualTo(id);
        assertThat(service.open("unit-b", Reason.KIT_MISSING, "helmet", "d")).isNotEqualTo(id);
        assertThat(service.open("unit-a", Reason.UNPLANNED_ACCESS, null, "d"))
                .isEqualTo(service.open("unit-a", Reason.UNPLANNED_ACCESS, null, "d"));
        assertThat(service.all()).hasSize(4);
    }

    @Test
    void unknown_unit_is_refused_and_nothing_is_stored() {
        assertThatThrownBy(() -> service.open("nowhere", Reason.KIT_MISSING, "helmet", "d"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(service.all()).isEmpty();
    }

    @Test
    void lifecycle_rectify_by_note_then_verify_closes_and_reopen_sends_it_back() {
        String id = service.open("unit-a", Reason.UNPLANNED_ACCESS, "box-1", "d");
        clock.advance(Duration.ofHours(1));

        Rectification rectified = service.rectify(id, "门已检查并上锁", "photo-17.jpg", "leader-a");
        assertThat(rectified.state()).isEqualTo(RectificationState.RECTIFIED);
        assertThat(rectified.note()).isEqualTo("门已检查并上锁");
        assertThat(rectified.evidence()).isEqualTo("photo-17.jpg");
        assertThat(rectified.log().get(rectified.log().size() - 1).actor()).isEqualTo("leader-a");
        assertThatThrownBy(() -> service.rectify(id, "again", null, "leader-a"))
                .isInstanceOf(RectificationStateException.class);

        Rectification closed = service.verify(id, "admin");
        assertThat(closed.state()).isEqualTo(RectificationState.CLOSED);
        assertThat(lastPublished(id).path("state").asText()).isEqualTo("closed");
        assertThatThrownBy(() -> service.verify(id, "admin")).isInstanceOf(RectificationStateException.class);

        clock.advance(Duration.ofHours(1));
        Rectification reopened = service.reopen(id, "锁仍损坏", "admin");
        assertThat(reopened.state()).isEqualTo(RectificationState.NOTIFIED);
        assertThat(reopened.dueAt()).isEqualTo(T0.plus(Duration.ofHours(26)));
        assertThat(reopened.log()).extracting(Rectification.LogLine::message).contains("reopened: 锁仍损坏");
        assertThatThrownBy(() -> service.reopen(id, null, "admin")).isInstanceOf(RectificationStateException.class);
        // a new finding of a closed problem is a new task
        String again = service.open("unit-a", Reason.UNPLANNED_ACCESS, "box-1", "d");
        assertThat(again).isEqualTo(id); // still active after the reopen
    }

    @Test
    void verify_needs_a_rectification_first_and_unknown_ids_are_not_found() {
        String id = service.open("unit-a", Reason.KIT_MISSING, "shield", "d");
        assertThatThrownBy(() -> service.verify(id, "admin")).isInstanceOf(RectificationStateException.class);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);
        assertThatThrownBy(() -> service.get("rt-none")).isInstanceOf(RectificationNotFoundException.class);
    }

    @Test
    void sensors_rectify_and_a_relapse_before_verification_reuses_the_task() {
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "d");
        service.rectifiedBySensors("unit-a", Reason.KIT_MISSING, "helmet", "sensors show the item back (3 of 3)");
        assertThat(service.get(id).state()).isEqualTo(RectificationState.RECTIFIED);
        assertThat(service.get(id).log()).extracting(Rectification.LogLine::message)
                .contains("sensors show the item back (3 of 3)");

        assertThat(service.open("unit-a", Reason.KIT_MISSING, "helmet", "d")).isEqualTo(id);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);
        assertThat(service.get(id).log()).extracting(Rectification.LogLine::message).contains("problem seen again: d");
    }

    @Test
    void overdue_tasks_escalate_once_on_the_clock_and_can_still_be_rectified() {
        String kit = service.open("unit-a", Reason.KIT_MISSING, "helmet", "d");
        String test = service.open("unit-a", Reason.SELF_TEST_FAILED, "box-1", "d");
        clock.advance(Duration.ofHours(23));
        service.tick();
        assertThat(service.get(kit).state()).isEqualTo(RectificationState.NOTIFIED);

        clock.advance(Duration.ofHours(1));
        int sent = published.messages.size();
        service.tick();
        assertThat(service.get(kit).state()).isEqualTo(RectificationState.OVERDUE);
        assertThat(service.get(test).state()).isEqualTo(RectificationState.NOTIFIED);
        assertThat(published.messages).hasSize(sent + 1);
        assertThat(lastPublished(kit).path("state").asText()).isEqualTo("overdue");
        assertThat(service.get(kit).log().get(2).message()).contains("escalated to the command centre");

        service.tick(); // escalated once
        assertThat(published.messages).hasSize(sent + 1);
        assertThat(service.rectify(kit, "补齐头盔", null, "leader-a").state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void a_notification_that_fails_stays_open_and_the_tick_retries() {
        published.down = true;
        String id = service.open("unit-a", Reason.KIT_MISSING, "helmet", "d");
        assertThat(service.get(id).state()).isEqualTo(RectificationState.OPEN);

        published.down = false;
        service.tick();
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);
        assertThat(lastPublished(id).path("state").asText()).isEqualTo("notified");
    }

    @Test
    void readiness_changes_open_and_rectify_kit_and_duty_tasks() {
        ReadinessRectifier rectifier = new ReadinessRectifier(service, unit -> false, unit -> false, clock);
        UnitReadiness full = readiness(State.READY, 3, "m1", 3);
        // first judgement (hub start): counts still rising are no finding
        rectifier.readinessChanged(null, readiness(State.KIT_MISSING, 3, "m1", 1));
        assertThat(service.all()).isEmpty();
        rectifier.readinessChanged(readiness(State.KIT_MISSING, 3, "m1", 1), full);
        assertThat(service.all()).isEmpty();

        UnitReadiness taken = readiness(State.KIT_MISSING, 3, "m1", 2);
        rectifier.readinessChanged(full, taken);
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(Reason.KIT_MISSING);
            assertThat(t.subject()).isEqualTo("helmet");
            assertThat(t.detail()).contains("防暴头盔").contains("2").contains("3");
        });
        String id = service.all().get(0).id();

        // an offline box hides the locker: no sensor rectification
        rectifier.readinessChanged(taken, readiness(State.BOX_OFFLINE, 3, "m1", 3));
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED);
        rectifier.readinessChanged(readiness(State.BOX_OFFLINE, 3, "m1", 3), full);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.RECTIFIED);
        assertThat(service.get(id).log()).extracting(Rectification.LogLine::message)
                .contains("sensors show the item back (3 present, 3 required)");

        // duty: two on duty opens one task for the day; fixed the same day rectifies it
        UnitReadiness understaffed = readiness(State.UNDERSTAFFED, 2, "m1", 3);
        rectifier.readinessChanged(full, understaffed);
        rectifier.readinessChanged(understaffed, readiness(State.UNDERSTAFFED, 2, null, 3));
        List<Rectification> duty = service.all().stream().filter(t -> t.reason() == Reason.UNDERSTAFFED).toList();
        assertThat(duty).singleElement().satisfies(t -> assertThat(t.subject()).isEqualTo("2026-11-30"));
        rectifier.readinessChanged(understaffed, full);
        assertThat(service.get(duty.get(0).id()).state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void an_item_taken_from_a_well_stocked_locker_is_followed_until_it_is_back_but_not_during_an_incident() {
        java.util.Set<String> busy = new java.util.HashSet<>();
        ReadinessRectifier rectifier = new ReadinessRectifier(service, busy::contains, unit -> false, clock);
        UnitReadiness six = readiness(State.READY, 4, "m1", 6);
        UnitReadiness five = readiness(State.READY, 4, "m1", 5);

        rectifier.readinessChanged(six, five); // still 5 of 4: the unit is ready, but a slot is empty
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.subject()).isEqualTo("helmet");
            assertThat(t.state()).isEqualTo(RectificationState.NOTIFIED);
        });
        String id = service.all().get(0).id();
        rectifier.readinessChanged(five, readiness(State.READY, 4, "m1", 4));
        assertThat(service.all()).hasSize(1); // the same problem, the same task
        rectifier.readinessChanged(readiness(State.READY, 4, "m1", 4), five);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.NOTIFIED); // 5 of the 6 stocked
        rectifier.readinessChanged(five, six);
        assertThat(service.get(id).state()).isEqualTo(RectificationState.RECTIFIED);
        service.verify(id, "admin");

        busy.add("unit-a");
        rectifier.readinessChanged(six, five); // the kit is in use at an incident
        assertThat(service.all()).hasSize(1);
    }

    /** Helmets {@code helmets} of {@code onDuty}; everything else complete. */
    static UnitReadiness readiness(State state, int onDuty, String leader, int helmets) {
        return new UnitReadiness("unit-a", state, onDuty, leader,
                List.of(new ItemReadiness("whistle", onDuty, onDuty), new ItemReadiness("helmet", onDuty, helmets),
                        new ItemReadiness("shield", 2, 2), new ItemReadiness("spray", 0, 0)),
                List.of());
    }

    @Test
    void the_store_reads_back_what_it_wrote() {
        String id = service.open("unit-a", Reason.SELF_TEST_FAILED, "box-1", "自检失败：警报器");
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo(id);
            assertThat(t.detail()).isEqualTo("自检失败：警报器");
            assertThat(t.log()).hasSize(2);
        });
        assertThat(service.unitOfUser("leader-a")).contains("unit-a");
        assertThat(service.unitOfUser("nobody")).isEmpty();
    }
}
