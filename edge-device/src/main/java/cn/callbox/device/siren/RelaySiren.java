package cn.callbox.device.siren;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;

/**
 * A siren behind a relay: the pattern is on/off timing of the relay ({@link #timing}). The relay is never left on
 * longer than the maximum on-time counted from the moment the siren began sounding, so a stuck or repeated command
 * cannot sound it forever; after that the siren must be silent before it can sound again.
 * <p>
 * Priorities as {@link Siren#start} says: a lower pattern is refused while a higher one sounds (a remote siren test
 * must not silence a villager's alarm), the same pattern only ever moves the end later, a higher one replaces.
 */
public final class RelaySiren implements Siren {

    private final BinaryOutput relay;
    private final Scheduler scheduler;
    private final Duration maxOnTime;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private SirenPattern pattern = SirenPattern.ALARM;
    private boolean sounding;
    private Instant soundingSince;
    /** When the sounding run ends; read by its timer tasks, so an extension needs no new cycle. */
    private Instant end;
    /** Bumped on every start of a new cycle and on every stop so that timer tasks of an older run do nothing. */
    private long run;
    private Scheduler.Cancellable pending = () -> {
    };

    public RelaySiren(BinaryOutput relay, Scheduler scheduler, Duration maxOnTime) {
        this.relay = relay;
        this.scheduler = scheduler;
        this.maxOnTime = maxOnTime;
        relay.set(false);
    }

    /** On and off times of the relay for a pattern. */
    public static Timing timing(SirenPattern pattern) {
        return switch (pattern) {
            // long blasts with short gaps: unmistakable as an emergency
            case ALARM -> new Timing(Duration.ofMillis(1500), Duration.ofMillis(500));
            // even, slower rhythm, so villagers can tell a drill from a real alarm
            case DRILL -> new Timing(Duration.ofMillis(1000), Duration.ofMillis(1000));
            case TEST -> new Timing(Duration.ofMillis(250), Duration.ofMillis(750));
        };
    }

    @Override
    public boolean start(SirenPattern newPattern, Duration duration) {
        Start outcome;
        synchronized (this) {
            outcome = startLocked(newPattern, duration);
        }
        if (outcome.changed()) {
            fireChange();
        }
        return outcome.sounds();
    }

    private Start startLocked(SirenPattern newPattern, Duration duration) {
        Instant now = scheduler.clock().instant();
        if (sounding && SoundPriority.of(pattern).outranks(SoundPriority.of(newPattern))) {
            Logger.info("Siren start ({} for {} s) ignored: the {} pattern is sounding until {} and has priority",
                    newPattern.wireName(), duration.toSeconds(), pattern.wireName(), end);
            return Start.REFUSED;
        }
        boolean same = sounding && pattern == newPattern;
        if (!sounding) {
            soundingSince = now;
        }
        Instant asked = now.plus(duration);
        // the same pattern again (the hub's alarm after the box's own, a second press) never ends it earlier
        Instant wanted = same && end.isAfter(asked) ? end : asked;
        Instant cap = soundingSince.plus(maxOnTime);
        Instant newEnd = wanted.isAfter(cap) ? cap : wanted;
        if (!newEnd.isAfter(now)) {
            Logger.warn("Siren start ({}) refused: it has sounded for the maximum of {} s", newPattern.wireName(),
                    maxOnTime.toSeconds());
            boolean was = sounding;
            silence();
            return was ? Start.SILENCED : Start.REFUSED;
        }
        if (newEnd.isBefore(wanted)) {
            Logger.info("Siren duration capped at {} s by the maximum on-time",
                    Duration.between(now, newEnd).toSeconds());
        }
        end = newEnd;
        if (same) {
            Logger.info("Siren keeps sounding pattern {} until {}", newPattern.wireName(), newEnd);
            return Start.KEPT;
        }
        pending.cancel();
        long thisRun = ++run;
        pattern = newPattern;
        sounding = true;
        Logger.info("Siren on: pattern {} for {} s", newPattern.wireName(), Duration.between(now, newEnd).toSeconds());
        phaseOn(thisRun);
        return Start.STARTED;
    }

    @Override
    public void stop() {
        boolean changed;
        synchronized (this) {
            changed = sounding;
            silence();
        }
        if (changed) {
            Logger.info("Siren off");
            fireChange();
        }
    }

    @Override
    public synchronized boolean isSounding() {
        return sounding;
    }

    @Override
    public synchronized SirenPattern pattern() {
        return pattern;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void silence() {
        run++;
        pending.cancel();
        sounding = false;
        relay.set(false);
    }

    /** Runs with the lock held. */
    private void phaseOn(long thisRun) {
        Instant now = scheduler.clock().instant();
        if (!now.isBefore(end)) {
            finish();
            return;
        }
        relay.set(true);
        Duration on = min(timing(pattern).on(), Duration.between(now, end));
        pending = scheduler.schedule(on, () -> {
            synchronized (this) {
                if (run != thisRun) {
                    return;
                }
                relay.set(false);
                Instant after = scheduler.clock().instant();
                if (!after.isBefore(end)) {
                    finishLocked();
                } else {
                    Duration off = min(timing(pattern).off(), Duration.between(after, end));
                    pending = scheduler.schedule(off, () -> {
                        synchronized (this) {
                            if (run == thisRun) {
                                phaseOn(thisRun);
                            }
                        }
                    });
                    return;
                }
            }
            Logger.info("Siren off: duration over");
            fireChange();
        });
    }

    private void finish() {
        finishLocked();
        // phaseOn is only reached with the lock held; notify outside of it on the scheduler thread
        scheduler.schedule(Duration.ZERO, this::fireChange);
    }

    private void finishLocked() {
        sounding = false;
        run++;
        relay.set(false);
    }

    private void fireChange() {
        listeners.forEach(Runnable::run);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Relay on-time and off-time of one cycle. */
    public record Timing(Duration on, Duration off) {
    }

    /** What a start did: whether the siren now sounds the asked pattern, and whether listeners must hear of it. */
    private enum Start {
        STARTED(true, true), KEPT(true, false), REFUSED(false, false), SILENCED(false, true);

        private final boolean sounds;
        private final boolean changed;

        Start(boolean sounds, boolean changed) {
            this.sounds = sounds;
            this.changed = changed;
        }

        boolean sounds() {
            return sounds;
        }

        boolean changed() {
            return changed;
        }
    }
}
