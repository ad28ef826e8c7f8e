package cn.callbox.device.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.time.Scheduler;

/**
 * A battery gauge read every {@code period}, telling its listeners when the charge changed, so that the box pushes its
 * battery level (an observed Device 3/0/9) instead of the hub having to ask: a draining battery after mains loss is
 * seen while it matters. Reads on request still go to the gauge itself. Thread-safe; the polls run on the scheduler.
 */
public final class BatteryWatch implements BatteryGauge {

    /** How often the reference box reads its battery: the charge moves by a percent in minutes at the fastest. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

    private final BatteryGauge gauge;
    private final Scheduler timing;
    private final Duration period;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile OptionalInt last = OptionalInt.empty();
    private volatile boolean stopped;

    private BatteryWatch(BatteryGauge gauge, Scheduler timing, Duration period) {
        this.gauge = Objects.requireNonNull(gauge, "gauge");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.period = Objects.requireNonNull(period, "period");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    /** Reads {@code gauge} now and then every {@code period} on {@code timing}. */
    public static BatteryWatch start(BatteryGauge gauge, Scheduler timing, Duration period) {
        BatteryWatch watch = new BatteryWatch(gauge, timing, period);
        watch.last = watch.read();
        timing.schedule(period, watch::poll);
        return watch;
    }

    @Override
    public OptionalInt percent() {
        return gauge.percent();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops polling after the next poll at the latest. */
    public void stop() {
        stopped = true;
    }

    private void poll() {
        if (stopped) {
            return;
        }
        try {
            OptionalInt now = read();
            if (!now.equals(last)) {
                last = now;
                listeners.forEach(BatteryWatch::tell);
            }
        } finally {
            timing.schedule(period, this::poll);
        }
    }

    private OptionalInt read() {
        try {
            return gauge.percent();
        } catch (RuntimeException e) {
            // a gauge must not throw; if one does, the next poll tries again
            Logger.warn("Battery gauge {} failed: {}", gauge, e.toString());
            return OptionalInt.empty();
        }
    }

    private static void tell(Runnable listener) {
        try {
            listener.run();
        } catch (RuntimeException e) {
            Logger.warn("A battery listener failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return gauge + ", read every " + period.toSeconds() + " s";
    }
}
