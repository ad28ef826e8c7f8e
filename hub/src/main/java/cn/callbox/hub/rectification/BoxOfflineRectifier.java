package cn.callbox.hub.rectification;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.PresenceListener;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;

/**
 * Turns a call box silent for longer than the supervision grace into a {@code box-offline} task for its unit
 * (subject: the box's endpoint), and rectifies it by the sensors when the box is heard again (staff still verify).
 * <p>
 * A box that just went offline shows so on the console at once but is no finding yet: a 4G dropout of a minute or two
 * must not push a task to the unit. Only {@link #offlineLasting} (the silence outlasted
 * {@code callbox.supervision.offline-grace}) opens the task; a box back online rectifies it (nothing when none was
 * opened). A box never heard since the hub started is no finding (it may simply not have registered again yet), so the
 * presence must have a last-seen time. The listener methods are called on a transport or ticker thread under the
 * box's presence lock, so the work (database, MQTT) runs on {@code worker}, a single
 * thread in production so that an offline and the following online of a box are handled in order ({@link #close()}
 * shuts it down when it is an {@link ExecutorService}). Thread-safe.
 */
final class BoxOfflineRectifier implements PresenceListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BoxOfflineRectifier.class);

    private final RectificationService service;
    private final TownshipDirectory directory;
    private final Executor worker;

    BoxOfflineRectifier(RectificationService service, TownshipDirectory directory, Executor worker) {
        this.service = Objects.requireNonNull(service, "service");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    @Override
    public void onlineChanged(String endpoint, CallBoxPresence.Presence presence) {
        if (endpoint == null || presence == null || !presence.online()) {
            return; // offline: a finding only once it lasts
        }
        submit(endpoint, true);
    }

    @Override
    public void offlineLasting(String endpoint, CallBoxPresence.Presence presence) {
        if (endpoint == null || presence == null || presence.online() || presence.lastSeen() == null) {
            return; // never heard: nothing went silent
        }
        submit(endpoint, false);
    }

    private void submit(String endpoint, boolean online) {
        try {
            worker.execute(() -> handle(endpoint, online));
        } catch (RuntimeException e) {
            LOG.error("Box {} going {} not handled for rectification: {}", endpoint, online ? "online" : "offline",
                    e.toString());
        }
    }

    /** On the worker thread; never throws. */
    private void handle(String endpoint, boolean online) {
        try {
            Optional<CallBoxInfo> box = directory.callBox(endpoint);
            if (box.isEmpty() || box.get().unitId() == null) {
                LOG.debug("Call box {} belongs to no unit: no box-offline task", endpoint);
                return;
            }
            String unit = box.get().unitId();
            if (online) {
                service.rectifiedBySensors(unit, RectificationTasks.Reason.BOX_OFFLINE, endpoint,
                        "call box " + endpoint + " is online again");
            } else {
                service.open(unit, RectificationTasks.Reason.BOX_OFFLINE, endpoint,
                        "呼叫箱 " + box.get().place() + "（" + endpoint + "）离线，请检查供电和网络");
            }
        } catch (RuntimeException e) {
            LOG.error("Box {} going {} not handled for rectification", endpoint, online ? "online" : "offline", e);
        }
    }

    @Override
    public void close() {
        if (worker instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }
}
