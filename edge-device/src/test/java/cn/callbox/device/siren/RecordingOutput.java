package cn.callbox.device.siren;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import cn.callbox.device.io.BinaryOutput;

/** An output line that remembers when it switched, on a test clock. */
final class RecordingOutput implements BinaryOutput {

    record Change(Instant at, boolean on) {
    }

    private final Clock clock;
    private final List<Change> changes = new ArrayList<>();
    private boolean on;

    RecordingOutput(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void set(boolean value) {
        if (value != on || changes.isEmpty()) {
            changes.add(new Change(clock.instant(), value));
        }
        on = value;
    }

    @Override
    public synchronized boolean isOn() {
        return on;
    }

    synchronized List<Change> changes() {
        return List.copyOf(changes);
    }
}
