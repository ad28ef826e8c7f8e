package cn.callbox.device.hardware;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import cn.callbox.protocol.WireName;

/**
 * Broken parts of a simulated box, set through the simulator API ({@code POST /faults/{part}},
 * {@code DELETE /faults/{part}}): a faulty part draws no current (blown fuse, cut wire), which the simulated current
 * sensors show and the self-test measures. Thread-safe.
 */
public final class SimulatedFaults {

    /** A part that can break. */
    public enum Part implements WireName {
        /** The siren branch: relay contact, fuse F3, wire, siren. */
        SIREN("siren"),
        /** The amplifier branch: fuse F4, wire, amplifier. */
        LOUDSPEAKER("loudspeaker");

        private final String wireName;

        Part(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }

        /** The part by its wire name; empty for an unknown one. */
        public static Optional<Part> parse(String name) {
            return WireName.parse(Part.class, name);
        }
    }

    private final Set<Part> broken = EnumSet.noneOf(Part.class);

    public synchronized void breakPart(Part part) {
        broken.add(part);
    }

    public synchronized void repair(Part part) {
        broken.remove(part);
    }

    public synchronized boolean isBroken(Part part) {
        return broken.contains(part);
    }

    /** The broken parts now, in declaration order. */
    public synchronized List<Part> broken() {
        return List.copyOf(broken);
    }
}
