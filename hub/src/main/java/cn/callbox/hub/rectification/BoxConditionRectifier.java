package cn.callbox.hub.rectification;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.ConditionListener;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;

/**
 * Raises what a box reports about itself at once, as tasks for its unit (subject: the box's endpoint), and rectifies
 * them by the sensors when the box reports the problem gone (staff still verify):
 * <ul>
 * <li>{@code tamper}: the enclosure was opened (tamper switch released); rectified when it is shut again;</li>
 * <li>{@code mains-lost}: AC mains is no longer among the box's power sources, it runs on its battery; rectified when
 * mains is back;</li>
 * <li>{@code low-battery}: the battery fell below {@value CallBoxPresence#LOW_BATTERY_PERCENT} %; rectified once it is
 * back at {@value #BATTERY_RECOVERED_PERCENT} % or more, so a level wavering around the threshold does not open and
 * rectify a task with every percent.</li>
 * </ul>
 * A first report after the hub started counts as a change from "unknown": a box that reports a problem opens a task
 * (or finds the one still open), and one that reports all well rectifies a task left from before the restart.
 * <p>
 * {@link #conditionChanged} is called on a transport thread under the box's presence lock, so the work (database,
 * MQTT) runs on {@code worker}, a single thread in production so that the changes of a box are handled in order
 * ({@link #close()} shuts it down when it is an {@link ExecutorService}). Thread-safe.
 */
final class BoxConditionRectifier implements ConditionListener, AutoCloseable {

    /** A low-battery task is rectified at this level or above. */
    static final int BATTERY_RECOVERED_PERCENT = CallBoxPresence.LOW_BATTERY_PERCENT + 10;

    private static final Logger LOG = LoggerFactory.getLogger(BoxConditionRectifier.class);

    private final RectificationService service;
    private final TownshipDirectory directory;
    private final Executor worker;

    BoxConditionRectifier(RectificationService service, TownshipDirectory directory, Executor worker) {
        this.service = Objects.requireNonNull(service, "service");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    @Override
    public void conditionChanged(String endpoint, Presence before, Presence after) {
        if (endpoint == null || before == null || after == null) {
            return;
        }
        try {
            worker.execute(() -> handle(endpoint, before, after));
        } catch (RuntimeException e) {
            LOG.error("Condition change of box {} not handled for rectification: {}", endpoint, e.toString());
        }
    }

    /** On the worker thread; never throws. */
    private void handle(String endpoint, Presence before, Presence after) {
        try {
            Optional<CallBoxInfo> box = directory.callBox(endpoint);
            if (box.isEmpty() || box.get().unitId() == null) {
                LOG.warn("Call box {} belongs to no unit: its condition (tamper {}, on mains {}, battery {}) opens no "
                        + "task", endpoint, after.tamper(), after.onMains(), after.batteryLevel());
                return;
            }
            String unit = box.get().unitId();
            String name = "呼叫箱 " + box.get().place() + "（" + endpoint + "）";
            if (!Objects.equals(before.tamper(), after.tamper()) && after.tamper() != null) {
                if (after.tamper()) {
                    LOG.warn("Call box {} enclosure opened: tamper task for unit {}", endpoint, unit);
                    service.open(unit, RectificationTasks.Reason.TAMPER, endpoint,
                            name + "箱体被打开（防拆开关），请立即到现场查看是否被破坏");
                } else {
                    service.rectifiedBySensors(unit, RectificationTasks.Reason.TAMPER, endpoint,
                            "enclosure of call box " + endpoint + " is shut again");
                }
            }
            if (!Objects.equals(before.onMains(), after.onMains()) && after.onMains() != null) {
                if (after.onMains()) {
                    service.rectifiedBySensors(unit, RectificationTasks.Reason.MAINS_LOST, endpoint,
                            "call box " + endpoint + " is on mains again");
                } else {
                    LOG.warn("Call box {} lost mains power, on battery (level {} %): mains-lost task for unit {}",
                            endpoint, after.batteryLevel(), unit);
                    service.open(unit, RectificationTasks.Reason.MAINS_LOST, endpoint,
                            name + "市电中断，正在用电池供电，请尽快恢复供电");
                }
            }
            Integer level = after.batteryLevel();
            if (level != null && !level.equals(before.batteryLevel())) {
                Integer was = before.batteryLevel();
                if (after.batteryLow() && (was == null || !before.batteryLow())) {
                    LOG.warn("Call box {} battery low: {} %: low-battery task for unit {}", endpoint, level, unit);
                    service.open(unit, RectificationTasks.Reason.LOW_BATTERY, endpoint,
                            name + "电池电量低（" + level + "%），请尽快恢复供电或检查电池");
                } else if (level >= BATTERY_RECOVERED_PERCENT && (was == null || was < BATTERY_RECOVERED_PERCENT)) {
                    service.rectifiedBySensors(unit, RectificationTasks.Reason.LOW_BATTERY, endpoint,
                            "battery of call box " + endpoint + " is at " + level + " % again");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Condition change of box {} not handled for rectification", endpoint, e);
        }
    }

    @Override
    public void close() {
        if (worker instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }
}
