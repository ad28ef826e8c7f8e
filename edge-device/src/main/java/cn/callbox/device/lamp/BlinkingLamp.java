package cn.callbox.device.lamp;

import java.time.Duration;

import cn.callbox.device.io.BinaryOutput;
import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.CallState;

/** A {@link Lamp} on one output line, blinking on a {@link Scheduler}. */
public final class BlinkingLamp implements Lamp {

    /** Half period of the fast blink ({@code sending}). */
    public static final Duration FAST = Duration.ofMillis(250);
    /** Half period of the slow blink ({@code received}). */
    public static final Duration SLOW = Duration.ofMillis(1000);

    private final BinaryOutput output;
    private final Scheduler scheduler;
    private CallState showing = CallState.IDLE;
    private long run;
    private Scheduler.Cancellable pending = () -> {
    };

    public BlinkingLamp(BinaryOutput output, Scheduler scheduler) {
        this.output = output;
        this.scheduler = scheduler;
        output.set(false);
    }

    @Override
    public synchronized void show(CallState state) {
        showing = state;
        pending.cancel();
        long thisRun = ++run;
        switch (state) {
            case IDLE -> output.set(false);
            case ACKNOWLEDGED, RESPONDING -> output.set(true);
            case SENDING -> blink(thisRun, FAST, true);
            case RECEIVED -> blink(thisRun, SLOW, true);
        }
    }

    @Override
    public synchronized CallState showing() {
        return showing;
    }

    private void blink(long thisRun, Duration half, boolean on) {
        output.set(on);
        pending = scheduler.schedule(half, () -> {
            synchronized (this) {
                if (run == thisRun) {
                    blink(thisRun, half, !on);
                }
            }
        });
    }
}
