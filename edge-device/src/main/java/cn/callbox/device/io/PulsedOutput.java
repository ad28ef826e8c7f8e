package cn.callbox.device.io;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * An output line with one owner (the siren driver) that a self-test may switch on for a moment to measure the part
 * behind it, without the owner noticing: {@link #isOn()} answers the owner's setting, so the siren does not count as
 * sounding during a measurement pulse and reports nothing. The owner's {@link #set} always wins: a siren started
 * during a pulse keeps its relay on when the pulse ends, and a pulse never switches off a relay the owner holds on.
 * Thread-safe.
 */
public final class PulsedOutput implements BinaryOutput {

    /** Waits on the calling thread; real time on the box, nothing in tests. */
    @FunctionalInterface
    public interface Pause {
        Pause SLEEP = length -> Thread.sleep(length.toMillis());

        void pause(Duration length) throws InterruptedException;
    }

    /** What is done while the line is on. */
    @FunctionalInterface
    public interface Measurement<T> {
        T take() throws IOException;
    }

    private final BinaryOutput line;
    private final Pause pause;
    private boolean wanted;
    private boolean pulsing;

    public PulsedOutput(BinaryOutput line, Pause pause) {
        this.line = Objects.requireNonNull(line, "line");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    @Override
    public synchronized void set(boolean on) {
        wanted = on;
        line.set(on || pulsing);
    }

    /** The owner's setting (not a measurement pulse). */
    @Override
    public synchronized boolean isOn() {
        return wanted;
    }

    /**
     * Switches the line on, waits {@code settle} on the calling thread, takes the measurement and restores the
     * owner's setting (also when the measurement fails or the thread is interrupted).
     */
    public <T> T pulse(Duration settle, Measurement<T> measurement) throws IOException, InterruptedException {
        synchronized (this) {
            pulsing = true;
            line.set(true);
        }
        try {
            pause.pause(settle);
            return measurement.take();
        } finally {
            synchronized (this) {
                pulsing = false;
                line.set(wanted);
            }
        }
    }
}
