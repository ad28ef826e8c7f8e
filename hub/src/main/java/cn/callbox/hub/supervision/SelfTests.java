package cn.callbox.hub.supervision;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.supervision.SelfTestCommand.Mode;
import cn.callbox.hub.supervision.SelfTestCommand.SelfTestOutcome;
import cn.callbox.hub.supervision.SelfTestResults.SelfTestResult;

/**
 * Runs call-box self-tests (daily from {@link Supervisor}, or on request) and keeps their results. A failed self-test
 * opens a rectification task ({@code self-test-failed}) for the box's unit; the rectification feature is looked up
 * when needed, so the hub works without it. Thread-safe.
 */
final class SelfTests {

    private static final Logger LOG = LoggerFactory.getLogger(SelfTests.class);

    /** zh-CN names of the checks, for the rectification task's line; unknown faults are shown as they are. */
    private static final Map<String, String> FAULTS_ZH = Map.ofEntries(
            Map.entry("siren-relay", "警报器回路无电流（继电器、保险丝、线路或警报器）"),
            Map.entry("loudspeaker", "喇叭功放无电流（保险丝、线路或功放）"), Map.entry("tamper", "防拆回路"),
            Map.entry("slot-sensor", "器材位传感器"), Map.entry("current-sensor", "电流传感器"),
            Map.entry("speech", "语音合成或声卡"), Map.entry("battery", "电池"), Map.entry("peripheral", "外设"),
            Map.entry("no-answer", "无应答"), Map.entry("refused", "拒绝执行"), Map.entry("not-registered", "未注册"));

    private final TownshipDirectory directory;
    private final CallBoxPresence presence;
    private final SelfTestCommand command;
    private final SelfTestResults results;
    private final ObjectProvider<RectificationTasks> tasks;
    private final Clock clock;

    SelfTests(TownshipDirectory directory, CallBoxPresence presence, SelfTestCommand command, SelfTestResults results,
            ObjectProvider<RectificationTasks> tasks, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.command = Objects.requireNonNull(command, "command");
        this.results = Objects.requireNonNull(results, "results");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Starts the self-test of one box now; the result is stored when the box answers.
     *
     * @throws UnknownBoxException when the registry has no such box
     * @throws BoxOfflineException when the box is not online
     */
    Instant runNow(String endpoint, Mode mode) {
        CallBoxInfo box = known(endpoint);
        if (!presence.presenceOf(endpoint).online()) {
            throw new BoxOfflineException(endpoint);
        }
        Instant requested = clock.instant();
        start(box, mode);
        return requested;
    }

    /**
     * The scheduled runs: every registered box that is online now; offline boxes are supervised as such, not tested.
     *
     * @param mode silent for the daily run; audible only for the configured daytime schedule
     */
    int runAllOnline(Mode mode) {
        int started = 0;
        for (CallBoxInfo box : directory.callBoxes()) {
            if (presence.presenceOf(box.endpoint()).online()) {
                try {
                    start(box, mode);
                    started++;
                } catch (RuntimeException e) {
                    LOG.warn("Self-test of {} not started: {}", box.endpoint(), e.toString());
                }
            } else {
                LOG.info("Scheduled self-test of {} skipped: the box is offline", box.endpoint());
            }
        }
        return started;
    }

    /**
     * @throws UnknownBoxException when the registry has no such box
     */
    List<SelfTestResult> resultsOf(String endpoint, int limit) {
        known(endpoint);
        return results.of(endpoint, limit);
    }

    private CallBoxInfo known(String endpoint) {
        Optional<CallBoxInfo> box = endpoint == null ? Optional.empty() : directory.callBox(endpoint);
        return box.orElseThrow(() -> new UnknownBoxException(endpoint));
    }

    private void start(CallBoxInfo box, Mode mode) {
        LOG.info("Self-test ({}) of {} started", mode, box.endpoint());
        command.runSelfTest(box.endpoint(), mode, outcome -> finished(box, outcome));
    }

    /** On a transport thread: stores the result and opens a task for a failure; never throws. */
    void finished(CallBoxInfo box, SelfTestOutcome outcome) {
        SelfTestResult result = new SelfTestResult(box.endpoint(), clock.instant(), outcome.passed(),
                String.join(",", outcome.faults()));
        try {
            results.add(result);
        } catch (RuntimeException e) {
            LOG.error("Self-test result of {} not stored: {}", box.endpoint(), result, e);
        }
        if (outcome.passed()) {
            LOG.info("Self-test of {} passed", box.endpoint());
            return;
        }
        LOG.warn("Self-test of {} failed: {}", box.endpoint(), result.details());
        RectificationTasks rectification = tasks.getIfAvailable();
        if (rectification == null) {
            return;
        }
        if (box.unitId() == null) {
            LOG.warn("No rectification task for the failed self-test of {}: the box's point has no unit", box.endpoint());
            return;
        }
        String faults = outcome.faults().stream().map(f -> FAULTS_ZH.getOrDefault(f, f))
                .collect(Collectors.joining("、"));
        try {
            rectification.open(box.unitId(), RectificationTasks.Reason.SELF_TEST_FAILED, box.endpoint(),
                    "呼叫箱 " + box.place() + "（" + box.endpoint() + "）自检未通过：" + faults);
        } catch (RuntimeException e) {
            LOG.error("Could not open a rectification task for the failed self-test of {}", box.endpoint(), e);
        }
    }

    /** No call box with this endpoint in the registry. */
    static final class UnknownBoxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownBoxException(String endpoint) {
            super("unknown call box: " + endpoint);
        }
    }

    /** The call box is offline: a self-test cannot reach it. */
    static final class BoxOfflineException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BoxOfflineException(String endpoint) {
            super("call box " + endpoint + " is offline");
        }
    }
}
