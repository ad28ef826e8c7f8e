package cn.callbox.hub.firmware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.firmware.FirmwareDevices.Status;
import cn.callbox.hub.firmware.Rollout.Box;
import cn.callbox.hub.firmware.Rollout.BoxState;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.State;

/**
 * Drives the running roll-out, one {@link #tick()} at a time, over {@link FirmwareDevices}; everything it knows is in
 * the database, so a new engine (after a hub restart) carries on where the last one stood. Times come from the
 * injected clock: the offline grace counts from the start of the current wave, the download and install timeouts from
 * when the box entered its state.
 * <p>
 * Per box of the current wave: {@code pending} → write the Package URI (5/0/1) → {@code downloading} → once the box
 * reports DOWNLOADED, execute Update (5/0/2) → {@code installing} → {@code confirming} once the box runs the target
 * version on trial (state UPDATING, no result yet: it registered, and now must stay registered and heartbeating for
 * its healthy window) → {@code succeeded} only when the box reports SUCCESS, i.e. it confirmed the new firmware,
 * while running the target version. UPDATE_FAILED is {@code rolled-back}, or {@code failed} when the box still runs
 * the target version (its rollback failed); any other failure or a timeout (in {@code installing}, then again in
 * {@code confirming}) is {@code failed}. A box counts as updated only once confirmed: the next wave waits for it.
 * Offline boxes (and boxes that do not answer) are skipped after the grace, boxes already on the version at once. When
 * every box of the wave has ended: a failed or rolled-back box halts the roll-out (later boxes are cancelled), else the
 * next wave starts, or the roll-out is completed. Boxes still installing when their roll-out was cancelled are
 * followed to their end. Only boxes of the current wave are contacted.
 * <p>
 * Thread-safe: each box's step, the end of a wave and a cancel run under one lock, so a cancel never crosses a box's
 * step (it waits for at most one box's LwM2M requests).
 */
final class RolloutEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

    /** Actor of the engine's audit entries. */
    static final String SYSTEM = "system";

    private final JdbcRolloutStore store;
    private final FirmwareDevices devices;
    private final FirmwareProperties settings;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    /** @param feed may be null: nothing is published */
    RolloutEngine(JdbcRolloutStore store, FirmwareDevices devices, FirmwareProperties settings, AuditTrail audit,
            ConsoleFeed feed, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = feed;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One step of every box that has something to do; called by the roll-out ticker (and by tests). */
    void tick() {
        List<String> changed = new ArrayList<>();
        for (Box box : store.installingOfEnded()) {
            lock.lock();
            try {
                Optional<Rollout> rollout = store.rollout(box.rolloutId());
                Optional<Box> current = current(box);
                if (rollout.isPresent() && current.isPresent() && current.get().state().installing()
                        && installing(rollout.get(), current.get())) {
                    changed.add(box.rolloutId());
                }
            } finally {
                lock.unlock();
            }
        }
        store.running().ifPresent(rollout -> {
            if (advance(rollout)) {
                changed.add(rollout.id());
            }
        });
        changed.stream().distinct().forEach(this::publish);
    }

    /** @return whether anything changed */
    private boolean advance(Rollout start) {
        boolean changed = false;
        for (Box box : store.wave(start.id(), start.wave())) {
            if (box.state().terminal()) {
                continue;
            }
            lock.lock();
            try {
                Optional<Rollout> rollout = store.rollout(start.id());
                Optional<Box> current = current(box);
                if (rollout.isEmpty() || rollout.get().state() != Rollout.State.RUNNING
                        || rollout.get().wave() != box.wave() || current.isEmpty()) {
                    return changed;
                }
                changed |= step(rollout.get(), current.get());
            } finally {
                lock.unlock();
            }
        }
        lock.lock();
        try {
            return endOfWave(start.id()) || changed;
        } finally {
            lock.unlock();
        }
    }

    private Optional<Box> current(Box box) {
        return store.box(box.rolloutId(), box.endpoint());
    }

    private boolean step(Rollout rollout, Box box) {
        return switch (box.state()) {
        case PENDING -> pending(rollout, box);
        case DOWNLOADING -> downloading(rollout, box);
        case INSTALLING, CONFIRMING -> installing(rollout, box);
        default -> false;
        };
    }

    private boolean pending(Rollout rollout, Box box) {
        Instant now = clock.instant();
        boolean graceOver = !now.isBefore(rollout.waveStartedAt().plus(settings.offlineGrace()));
        if (!devices.online(box.endpoint())) {
            return graceOver && move(rollout, box, box.moved(BoxState.SKIPPED, null, "offline", now));
        }
        Optional<Status> status = devices.status(box.endpoint());
        if (status.isEmpty()) {
            return graceOver && move(rollout, box, box.moved(BoxState.SKIPPED, null, "no answer", now));
        }
        String running = status.get().firmwareVersion();
        if (rollout.version().equals(running)) {
            return move(rollout, box,
                    box.moved(BoxState.SKIPPED, status.get().result(), "already on " + running, now));
        }
        Box downloading = box.downloading(running, now);
        if (devices.writePackageUri(box.endpoint(), rollout.downloadUrl())) {
            return move(rollout, box, downloading.moved(BoxState.DOWNLOADING, null, "package URI written", now));
        }
        return move(rollout, box, downloading.moved(BoxState.FAILED, null, "the box refused the package URI", now));
    }

    private boolean downloading(Rollout rollout, Box box) {
        Instant now = clock.instant();
        Optional<Status> status = devices.status(box.endpoint());
        if (status.isPresent()) {
            int state = status.get().state();
            int result = status.get().result();
            if (state == State.DOWNLOADED.code()) {
                if (devices.executeUpdate(box.endpoint())) {
                    return move(rollout, box, box.moved(BoxState.INSTALLING, result, "update started", now));
                }
                return move(rollout, box, box.moved(BoxState.FAILED, result, "the box refused the update", now));
            }
            if (state == State.IDLE.code() && failure(result)) {
                return move(rollout, box, box.moved(BoxState.FAILED, result, resultName(result), now));
            }
        }
        if (!now.isBefore(box.updatedAt().plus(settings.downloadTimeout()))) {
            devices.writePackageUri(box.endpoint(), "");
            return move(rollout, box, box.moved(BoxState.FAILED, status.map(Status::result).orElse(box.result()),
                    "download timed out", now));
        }
        return false;
    }

    /** A box installing or confirming: the install timeout counts from when it entered either state. */
    private boolean installing(Rollout rollout, Box box) {
        Instant now = clock.instant();
        Optional<Status> status = devices.status(box.endpoint());
        if (status.isPresent()) {
            int result = status.get().result();
            String running = status.get().firmwareVersion();
            boolean onTarget = rollout.version().equals(running);
            if (result == Result.SUCCESS.code() && onTarget) {
                return move(rollout, box, box.moved(BoxState.SUCCEEDED, result, "running " + running
                        + ", confirmed healthy", now));
            }
            if (result == Result.UPDATE_FAILED.code() && onTarget) {
                // the box wanted to go back and could not (e.g. its disk is full): never a success, never quiet
                return move(rollout, box, box.moved(BoxState.FAILED, result,
                        "rollback failed on the box: still running " + running, now));
            }
            if (result == Result.UPDATE_FAILED.code()) {
                return move(rollout, box,
                        box.moved(BoxState.ROLLED_BACK, result, "rolled back, running " + running, now));
            }
            if (failure(result)) {
                return move(rollout, box, box.moved(BoxState.FAILED, result, resultName(result), now));
            }
            if (box.state() == BoxState.INSTALLING && onTarget && status.get().state() == State.UPDATING.code()) {
                return move(rollout, box, box.moved(BoxState.CONFIRMING, result, "running " + running
                        + " on trial: kept once healthy for its window", now));
            }
        }
        if (!now.isBefore(box.updatedAt().plus(settings.installTimeout()))) {
            String what = box.state() == BoxState.CONFIRMING ? "not confirmed within " : "no report within ";
            return move(rollout, box, box.moved(BoxState.FAILED, status.map(Status::result).orElse(box.result()),
                    what + text(settings.installTimeout()), now));
        }
        return false;
    }

    /** Stores a box's transition and logs it; false when the box had moved meanwhile. */
    private boolean move(Rollout rollout, Box from, Box to) {
        if (!store.updateBox(from.state(), to)) {
            return false;
        }
        LOG.info("Firmware roll-out {} ({}): {} {} -> {}{}", rollout.id(), rollout.version(), to.endpoint(),
                from.state().wireName(), to.state().wireName(), to.detail() == null ? "" : " (" + to.detail() + ")");
        return true;
    }

    /** When every box of the current wave has ended: halt, next wave or complete. Whether anything changed. */
    private boolean endOfWave(String rolloutId) {
        Optional<Rollout> found = store.rollout(rolloutId);
        if (found.isEmpty() || found.get().state() != Rollout.State.RUNNING) {
            return false;
        }
        Rollout rollout = found.get();
        List<Box> wave = store.wave(rollout.id(), rollout.wave());
        if (!wave.stream().allMatch(b -> b.state().terminal())) {
            return false;
        }
        Instant now = clock.instant();
        Optional<Box> failed = wave.stream().filter(b -> b.state().haltsRollout()).findFirst();
        if (failed.isPresent()) {
            String detail = "halted: " + failed.get().endpoint() + " " + failed.get().state().wireName();
            return end(rollout, Rollout.State.HALTED, detail, "roll-out halted", now);
        }
        if (rollout.wave() < rollout.waves()) {
            if (store.nextWave(rollout.id(), rollout.wave() + 1, now)) {
                LOG.info("Firmware roll-out {} ({}): wave {} of {} done, wave {} starts", rollout.id(),
                        rollout.version(), rollout.wave(), rollout.waves(), rollout.wave() + 1);
                return true;
            }
            return false;
        }
        Map<BoxState, Long> counts = store.boxes(rollout.id()).stream()
                .collect(Collectors.groupingBy(Box::state, Collectors.counting()));
        String detail = "completed: " + counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().wireName()).collect(Collectors.joining(", "));
        return end(rollout, Rollout.State.COMPLETED, detail, "roll-out completed", now);
    }

    private boolean end(Rollout rollout, Rollout.State state, String detail, String boxDetail, Instant now) {
        if (!store.end(rollout.id(), state, detail, boxDetail, now)) {
            return false;
        }
        LOG.info("Firmware roll-out {} ({}) ended: {}", rollout.id(), rollout.version(), detail);
        audit.record(SYSTEM, "firmware-rollout-end", rollout.id(), detail);
        return true;
    }

    /**
     * Cancels a running roll-out: pending boxes are cancelled, boxes downloading get an empty Package URI and are
     * cancelled, boxes installing are left to finish (the next ticks follow them).
     *
     * @return the roll-out as it is now; empty when there is no such roll-out
     * @throws RolloutService.NotRunningException it has ended already
     */
    Optional<Rollout> cancel(String rolloutId, String actor) {
        lock.lock();
        try {
            Optional<Rollout> found = store.rollout(rolloutId);
            if (found.isEmpty()) {
                return found;
            }
            Rollout rollout = found.get();
            if (rollout.state() != Rollout.State.RUNNING || !store.end(rolloutId, Rollout.State.CANCELLED,
                    "cancelled by " + actor, "roll-out cancelled", clock.instant())) {
                throw new RolloutService.NotRunningException("roll-out " + rolloutId + " is not running: it "
                        + store.rollout(rolloutId).map(r -> r.state().wireName()).orElse("ended"));
            }
            LOG.info("Firmware roll-out {} ({}) cancelled by {}", rolloutId, rollout.version(), actor);
            for (Box box : store.boxes(rolloutId)) {
                if (box.state() == BoxState.DOWNLOADING) {
                    boolean taken = devices.writePackageUri(box.endpoint(), "");
                    move(rollout, box, box.moved(BoxState.CANCELLED, box.result(), taken ? "download cancelled"
                            : "download cancelled; the box did not take the empty package URI", clock.instant()));
                }
            }
            return store.rollout(rolloutId);
        } finally {
            lock.unlock();
        }
    }

    private void publish(String rolloutId) {
        if (feed == null) {
            return;
        }
        store.rollout(rolloutId).ifPresent(r -> feed.publishForAdmins(RolloutService.EVENT,
                RolloutService.RolloutSummary.of(r, RolloutService.count(store.boxes(rolloutId)))));
    }

    private static boolean failure(int code) {
        return Result.of(code).map(Result::failure).orElse(true);
    }

    private static String resultName(int code) {
        return Result.of(code).map(Result::name).orElse("result " + code);
    }

    /** "15 min", or seconds when not whole minutes. */
    static String text(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
