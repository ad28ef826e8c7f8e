package cn.callbox.hub.rectification;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.ClockListener;
import cn.callbox.hub.device.ClockOffset;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;

/**
 * Flags a call box whose clock is further from the hub's than {@code bound} ({@code callbox.alarms.clock-skew}, the
 * bound beyond which the hub does not believe a box's press times): one WARN line naming the box and its offset when
 * it turns skewed, one INFO line when it is back within bounds, and a {@code clock-skew} task for the box's unit
 * (subject: the box's endpoint), rectified by the box itself once a measurement is back within bounds (staff still
 * verify). A wrong clock does not stop an alarm — the hub records such a press with its own time — but it makes the
 * box's press times and its outbox's backlog untrustworthy, and it means the box's time sync is broken.
 * <p>
 * A first measurement after the hub started counts as a change from "unknown": a skewed box warns and opens a task (or
 * finds the one still open), and a box within bounds rectifies a task left from before the restart.
 * <p>
 * {@link #clockMeasured} is called on a transport thread under the box's presence lock: it only logs there; the work
 * (database, MQTT) runs on {@code worker}, a single thread in production so that a box's changes are handled in order
 * ({@link #close()} shuts it down when it is an {@link ExecutorService}). Thread-safe.
 */
final class ClockSkewWatch implements ClockListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClockSkewWatch.class);

    private final RectificationService service;
    private final TownshipDirectory directory;
    private final Duration bound;
    private final Executor worker;

    ClockSkewWatch(RectificationService service, TownshipDirectory directory, Duration bound, Executor worker) {
        this.service = Objects.requireNonNull(service, "service");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.bound = Objects.requireNonNull(bound, "bound");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    @Override
    public void clockMeasured(String endpoint, ClockOffset before, ClockOffset after) {
        if (endpoint == null || after == null) {
            return;
        }
        boolean was = before != null && before.beyond(bound);
        boolean is = after.beyond(bound);
        if (is && !was) {
            LOG.warn("Call box {} clock is {} s off the hub's (measured {}), more than the {} s allowed: its press times are "
                    + "not believed; check its time sync (NTP)", endpoint, after.seconds(), after,
                    bound.toSeconds());
            run(endpoint, () -> open(endpoint, after));
        } else if (!is && (was || before == null)) {
            if (was) {
                LOG.info("Call box {} clock is back within {} s of the hub's: {} s (measured {})", endpoint, bound.toSeconds(),
                        after.seconds(), after);
            }
            run(endpoint, () -> rectify(endpoint, after));
        }
    }

    private void run(String endpoint, Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.error("Clock skew of call box {} not handled for rectification", endpoint, e);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("Clock skew of call box {} not handled for rectification: {}", endpoint, e.toString());
        }
    }

    /** On the worker thread. */
    private void open(String endpoint, ClockOffset offset) {
        Optional<CallBoxInfo> box = directory.callBox(endpoint);
        if (box.isEmpty() || box.get().unitId() == null) {
            LOG.warn("Call box {} belongs to no unit: its clock skew opens no task", endpoint);
            return;
        }
        String unit = box.get().unitId();
        long seconds = offset.seconds();
        service.open(unit, RectificationTasks.Reason.CLOCK_SKEW, endpoint, "呼叫箱 " + box.get().place() + "（"
                + endpoint + "）时钟偏差 " + (seconds > 0 ? "快 " : "慢 ") + Math.abs(seconds) + " 秒（允许 "
                + bound.toSeconds() + " 秒），报警时间不可信，请检查网络校时（NTP）或时钟模块");
    }

    /** On the worker thread. */
    private void rectify(String endpoint, ClockOffset offset) {
        Optional<CallBoxInfo> box = directory.callBox(endpoint);
        if (box.isEmpty() || box.get().unitId() == null) {
            return;
        }
        service.rectifiedBySensors(box.get().unitId(), RectificationTasks.Reason.CLOCK_SKEW, endpoint,
                "clock of call box " + endpoint + " is within " + bound.toSeconds() + " s of the hub's again ("
                        + offset.seconds() + " s)");
    }

    @Override
    public void close() {
        if (worker instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }
}
