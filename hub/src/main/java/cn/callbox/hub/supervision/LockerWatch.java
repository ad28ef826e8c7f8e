package cn.callbox.hub.supervision;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import cn.callbox.hub.device.LockerListener;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.supervision.SupervisionEvents.LockerEvent;
import cn.callbox.protocol.ItemKind;

/**
 * Watches locker doors. When a door opens (closed → open; the first reading after a registration is not an opening):
 * <ul>
 * <li>during an open incident the box's unit was alerted for, the muster is logged on the incident ("locker opened
 * N s after the alert");</li>
 * <li>otherwise it is an unplanned access: an {@code unplanned-access} event goes to the command centre and a
 * rectification task ({@code unplanned-access}) is opened for the unit.</li>
 * </ul>
 * {@link #lockerChanged} is called on a transport thread under the box's presence lock, so it only notes the change
 * and hands the work to {@code worker} ({@link #close()} shuts it down when it is an {@link ExecutorService}).
 * Thread-safe.
 */
final class LockerWatch implements LockerListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LockerWatch.class);

    private final TownshipDirectory directory;
    private final IncidentLink incidents;
    private final ObjectProvider<SupervisionEvents> events;
    private final ObjectProvider<RectificationTasks> tasks;
    private final Clock clock;
    private final Executor worker;
    private final Map<String, Boolean> doors = new ConcurrentHashMap<>();

    LockerWatch(TownshipDirectory directory, IncidentLink incidents, ObjectProvider<SupervisionEvents> events,
            ObjectProvider<RectificationTasks> tasks, Clock clock, Executor worker) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.events = Objects.requireNonNull(events, "events");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    @Override
    public void lockerChanged(String endpoint, Boolean doorOpen, Map<ItemKind, Integer> items) {
        if (endpoint == null || doorOpen == null) {
            return;
        }
        Boolean before = doors.put(endpoint, doorOpen);
        if (doorOpen && Boolean.FALSE.equals(before)) {
            Instant at = clock.instant();
            try {
                worker.execute(() -> opened(endpoint, at));
            } catch (RuntimeException e) {
                LOG.error("Locker opening of {} at {} not handled: {}", endpoint, at, e.toString());
            }
        }
    }

    /** The door of {@code endpoint} opened at {@code at}; on the worker thread; never throws. */
    private void opened(String endpoint, Instant at) {
        try {
            Optional<CallBoxInfo> box = directory.callBox(endpoint);
            String unit = box.map(CallBoxInfo::unitId).orElse(null);
            if (unit != null && incidents.hasOpenIncidentFor(unit)) {
                LOG.info("Locker of {} opened during an incident of unit {}: muster", endpoint, unit);
                incidents.recordMuster(unit, at);
                return;
            }
            LOG.warn("Unplanned access: locker of {} (unit {}) opened outside an incident", endpoint, unit);
            publish(endpoint, new LockerEvent(LockerEvent.UNPLANNED_ACCESS, endpoint, unit, at.toString()));
            RectificationTasks rectification = tasks.getIfAvailable();
            if (rectification != null && unit != null) {
                String place = box.map(CallBoxInfo::place).orElse(endpoint);
                rectification.open(unit, RectificationTasks.Reason.UNPLANNED_ACCESS, endpoint,
                        "呼叫箱 " + place + "（" + endpoint + "）的器材柜在无警情时被打开");
            }
        } catch (RuntimeException e) {
            LOG.error("Locker opening of {} at {} not fully handled", endpoint, at, e);
        }
    }

    private void publish(String endpoint, LockerEvent event) {
        events.orderedStream().forEach(publisher -> {
            try {
                publisher.publishEvent(endpoint, event);
            } catch (RuntimeException e) {
                LOG.error("Unplanned-access event of {} not published: {}", endpoint, e.toString());
            }
        });
    }

    @Override
    public void close() {
        if (worker instanceof ExecutorService service) {
            service.shutdownNow();
        }
    }
}
