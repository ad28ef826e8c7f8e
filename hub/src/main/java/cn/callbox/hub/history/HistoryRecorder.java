package cn.callbox.hub.history;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.LockerListener;
import cn.callbox.hub.device.PresenceListener;
import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.ItemCount;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.history.HistoryPoint.UnitReadiness;
import cn.callbox.hub.readiness.ReadinessListener;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.protocol.ItemKind;

/**
 * Feeds the readiness history from the hub's events: unit readiness changes, locker item counts and box presence.
 * <p>
 * The listener methods run on transport and scheduler threads: they only stamp the event with the hub's clock, look up
 * the box's village and unit, and put the point on an in-memory queue. One daemon thread ({@code history-writer})
 * takes whatever has queued up and stores it as one batch, in arrival order; a failing store is logged and the writer
 * goes on. {@link #close()} stores what is still queued before it returns (up to a bound).
 */
final class HistoryRecorder implements ReadinessListener, LockerListener, PresenceListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRecorder.class);
    private static final int MAX_BATCH = 500;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ReadinessHistory history;
    private final TownshipDirectory directory;
    private final String township;
    private final Clock clock;
    private final BlockingQueue<HistoryPoint> queue = new LinkedBlockingQueue<>();
    /** Last recorded count per box and item kind, so that a locker change records only the kinds that changed. */
    private final Map<String, Map<String, Integer>> lastCounts = new HashMap<>();
    private final Thread writer;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private volatile boolean closing;

    HistoryRecorder(ReadinessHistory history, TownshipDirectory directory, String township, Clock clock) {
        this.history = history;
        this.directory = directory;
        this.township = township;
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "history-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void readinessChanged(ReadinessService.UnitReadiness previous, ReadinessService.UnitReadiness current) {
        if (current == null) {
            return;
        }
        String village = directory.unit(current.unitId()).map(TownshipDirectory.UnitInfo::villageId).orElse(null);
        List<ItemCount> items = current.items().stream()
                .map(i -> new ItemCount(i.kind(), i.required(), i.present())).toList();
        offer(new UnitReadiness(clock.instant(), township, village, current.unitId(), current.state().wireName(),
                current.ready(), current.onDuty(), items));
    }

    @Override
    public void lockerChanged(String endpoint, Boolean doorOpen, Map<ItemKind, Integer> itemsPresent) {
        if (itemsPresent.isEmpty()) {
            return;
        }
        Optional<CallBoxInfo> box = directory.callBox(endpoint);
        if (box.isEmpty()) {
            LOG.debug("Locker change of unregistered box {} not recorded", endpoint);
            return;
        }
        Map<String, Integer> changed = new HashMap<>();
        synchronized (lastCounts) {
            Map<String, Integer> last = lastCounts.computeIfAbsent(endpoint, e -> new HashMap<>());
            itemsPresent.forEach((kind, count) -> {
                if (!count.equals(last.put(kind.wireName(), count))) {
                    changed.put(kind.wireName(), count);
                }
            });
        }
        if (!changed.isEmpty()) {
            CallBoxInfo info = box.get();
            offer(new LockerItems(clock.instant(), township, info.villageId(), info.unitId(), endpoint, changed));
        }
    }

    @Override
    public void onlineChanged(String endpoint, CallBoxPresence.Presence presence) {
        Optional<CallBoxInfo> box = directory.callBox(endpoint);
        if (box.isEmpty()) {
            LOG.debug("Presence change of unregistered box {} not recorded", endpoint);
            return;
        }
        if (!presence.online()) {
            // a box that comes back reports its whole locker again: record it even if the counts did not change
            synchronized (lastCounts) {
                lastCounts.remove(endpoint);
            }
        }
        CallBoxInfo info = box.get();
        offer(new CallBoxStatus(clock.instant(), township, info.villageId(), info.unitId(), endpoint,
                presence.online()));
    }

    private void offer(HistoryPoint point) {
        if (closing) {
            LOG.warn("History point after shutdown not recorded: {}", point);
            return;
        }
        offered.incrementAndGet();
        queue.add(point);
    }

    private void writeLoop() {
        List<HistoryPoint> batch = new ArrayList<>();
        while (!(closing && queue.isEmpty())) {
            try {
                HistoryPoint first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                history.record(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Storing {} history points failed: {}", batch.size(), e.toString());
            } finally {
                handled.addAndGet(batch.size());
                batch.clear();
            }
        }
    }

    /** Stores what is queued, waiting at most a few seconds, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("History writer still busy after {}; {} points not stored", CLOSE_WAIT, queue.size());
            writer.interrupt();
        }
    }

    /** True once every point offered so far has been handed to the store (tests wait for this). */
    boolean idle() {
        return handled.get() == offered.get();
    }
}
