package cn.callbox.device.siren;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.SirenPattern;

/**
 * A siren behind a relay: the pattern is on/off timing of the relay ({@link #timing}). The relay is never left on
 * longer than the maximum on-time counted from the moment the siren began sounding, so a stuck or repeated command
 * cannot sound it forever; after that the siren must be silent before it can sound again.
 */
public final class RelaySiren implements Siren {

    private final BinaryOutput relay;
    private final Scheduler scheduler;
    private final Duration maxOnTime;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private SirenPattern pattern = SirenPattern.ALARM;
    private boolean sounding;
    private Instant soundingSince;
    /** Bumped on every start/stop so that timer tasks of an older run do nothing. */
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
    public void start(SirenPattern newPattern, Duration duration) {
        synchronized (this) {
            Instant now = scheduler.clock().instant();
            if (!sounding) {
                soundingSince = now;
            }
            Duration left = maxOnTime.minus(Duration.between(soundingSince, now));
            Duration effective = duration.compareTo(left) > 0 ? left : duration;
            if (effective.isNegative() || effective.isZero()) {
                Logger.warn("Siren start ({}) refused: it has sounded for the maximum of {} s", newPattern.wireName(),
                        maxOnTime.toSeconds());
                silence();
            } else {
                if (effective.compareTo(duration) < 0) {
                    Logger.info("Siren duration capped at {} s by the maximum on-time", effective.toSeconds());
                }
                pending.cancel();
                long thisRun = ++run;
                pattern = newPattern;
                sounding = true;
                Instant end = now.plus(effective);
                Logger.info("Siren on: pattern {} for {} s", newPattern.wireName(), effective.toSeconds());
                phaseOn(thisRun, end);
            }
        }
        fireChange();
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
    private void phaseOn(long thisRun, Instant end) {
        Instant now = scheduler.clock().instant();
        if (!now.isBefore(end)) {
            finish(thisRun);
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
                                phaseOn(thisRun, end);
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

    private void finish(long thisRun) {
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
}
