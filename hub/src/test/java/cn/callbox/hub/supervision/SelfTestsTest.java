package cn.callbox.hub.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.supervision.SelfTestCommand.SelfTestOutcome;
import cn.callbox.hub.supervision.SelfTestResults.SelfTestResult;

/** Self-tests on request: results stored in the database (V5), failures open rectification tasks. */
class SelfTestsTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
    }, (endpoint, door, items) -> {
    });
    private final Fakes.SelfTestBoxes boxes = new Fakes.SelfTestBoxes();
    private final JdbcSelfTestResults results = new JdbcSelfTestResults(JdbcClient.create(Fakes.database()));
    private final Fakes.Tasks tasks = new Fakes.Tasks();
    private final SelfTests selfTests = new SelfTests(new Fakes.Directory(), presence, boxes, results,
            Fakes.provider(RectificationTasks.class, tasks), clock);

    @Test
    void passed_self_test_is_stored_and_opens_no_task() {
        presence.registered("box-1", T0);

        selfTests.runNow("box-1", SelfTestCommand.Mode.SILENT);

        assertThat(selfTests.resultsOf("box-1", 10)).containsExactly(new SelfTestResult("box-1", T0, true, ""));
        assertThat(tasks.opened).isEmpty();
    }

    @Test
    void failed_self_test_is_stored_and_opens_a_task_for_the_unit() {
        presence.registered("box-2", T0);
        boxes.outcomes.put("box-2", new SelfTestOutcome(false, List.of("siren-relay", "tamper")));

        selfTests.runNow("box-2", SelfTestCommand.Mode.SILENT);

        assertThat(selfTests.resultsOf("box-2", 10))
                .containsExactly(new SelfTestResult("box-2", T0, false, "siren-relay,tamper"));
        assertThat(tasks.opened).singleElement().satisfies(task -> {
            assertThat(task.unit()).isEqualTo("unit-a");
            assertThat(task.reason()).isEqualTo(Reason.SELF_TEST_FAILED);
            assertThat(task.subject()).isEqualTo("box-2");
            assertThat(task.detail()).contains("二组路口", "box-2", "自检未通过", "警报器回路无电流", "防拆回路");
        });
    }

    @Test
    void measured_faults_of_the_new_checks_open_a_task_naming_the_box_and_each_fault() {
        presence.registered("box-2", T0);
        boxes.outcomes.put("box-2",
                new SelfTestOutcome(false, List.of("loudspeaker", "current-sensor", "speech")));

        selfTests.runNow("box-2", SelfTestCommand.Mode.SILENT);

        assertThat(boxes.modes).containsExactly(SelfTestCommand.Mode.SILENT);
        assertThat(tasks.opened).singleElement().satisfies(task -> {
            assertThat(task.reason()).isEqualTo(Reason.SELF_TEST_FAILED);
            assertThat(task.subject()).isEqualTo("box-2");
            assertThat(task.detail()).contains("box-2", "喇叭功放无电流", "电流传感器", "语音合成或声卡");
        });
    }

    @Test
    void an_audible_test_is_run_only_when_asked_for() {
        presence.registered("box-1", T0);

        selfTests.runNow("box-1", SelfTestCommand.Mode.AUDIBLE);
        selfTests.runNow("box-1", SelfTestCommand.Mode.SILENT);

        assertThat(boxes.modes).containsExactly(SelfTestCommand.Mode.AUDIBLE, SelfTestCommand.Mode.SILENT);
    }

    @Test
    void results_are_listed_newest_first() {
        presence.registered("box-1", T0);
        selfTests.runNow("box-1", SelfTestCommand.Mode.SILENT);
        clock.advance(Duration.ofDays(1));
        boxes.outcomes.put("box-1", SelfTestOutcome.failed("no-answer"));
        selfTests.runNow("box-1", SelfTestCommand.Mode.SILENT);

        assertThat(selfTests.resultsOf("box-1", 10)).extracting(SelfTestResult::passed).containsExactly(false, true);
        assertThat(selfTests.resultsOf("box-1", 1)).hasSize(1);
    }

    @Test
    void unknown_or_offline_boxes_are_refused_and_nothing_is_stored() {
        assertThatThrownBy(() -> selfTests.runNow("nobody", SelfTestCommand.Mode.SILENT)).isInstanceOf(SelfTests.UnknownBoxException.class);
        assertThatThrownBy(() -> selfTests.runNow("box-1", SelfTestCommand.Mode.SILENT)).isInstanceOf(SelfTests.BoxOfflineException.class);
        assertThatThrownBy(() -> selfTests.resultsOf("nobody", 10))
                .isInstanceOf(SelfTests.UnknownBoxException.class);

        assertThat(boxes.run).isEmpty();
        assertThat(selfTests.resultsOf("box-1", 10)).isEmpty();
    }

    @Test
    void without_rectification_a_failure_is_still_stored() {
        SelfTests alone = new SelfTests(new Fakes.Directory(), presence, boxes, results,
                Fakes.provider(RectificationTasks.class), clock);
        presence.registered("box-1", T0);
        boxes.outcomes.put("box-1", SelfTestOutcome.failed("loudspeaker"));

        alone.runNow("box-1", SelfTestCommand.Mode.SILENT);

        assertThat(results.of("box-1", 10)).extracting(SelfTestResult::details).containsExactly("loudspeaker");
    }
}
