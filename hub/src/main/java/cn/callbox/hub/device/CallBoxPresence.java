package cn.callbox.hub.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import cn.callbox.protocol.ItemKind;

/** What the hub currently knows of each call box from LwM2M (registrations and observations). Thread-safe. */
public interface CallBoxPresence {

    /**
     * Below this battery level a box is flagged and a {@code low-battery} task opens: with the reference 20 Ah pack
     * that leaves some hours of standby, time for the unit to restore mains before the box goes silent.
     */
    int LOW_BATTERY_PERCENT = 30;

    /** The box's presence; {@link Presence#UNKNOWN} for a box never seen since the hub started. */
    Presence presenceOf(String endpoint);

    /**
     * @param online registered and not expired
     * @param lastSeen last registration, update or notification; null when never seen
     * @param sirenSounding from the observed 33002/0/0
     * @param doorOpen from the observed 33000/0/0; null when not read yet
     * @param itemsPresent from the observed 33001 instances, per kind; empty when not read yet
     * @param tamper from the observed 33000/0/2: the enclosure is open (tamper switch released); null when not reported
     * @param onMains from the observed Device 3/0/6 (AC mains, value 6, among the available power sources); null when
     *        the box has not reported its power sources
     * @param batteryLevel from the observed Device 3/0/9, percent; null when not reported
     * @param clockOffset the box's clock against the hub's, from the last read of its Device 3/0/13 Current Time;
     *        null when never measured (the box does not serve it, or has not answered yet)
     */
    record Presence(boolean online, Instant lastSeen, boolean sirenSounding, Boolean doorOpen,
            Map<ItemKind, Integer> itemsPresent, Boolean tamper, Boolean onMains, Integer batteryLevel,
            ClockOffset clockOffset) {

        public static final Presence UNKNOWN = new Presence(false, null, false, null, Map.of());

        /** A box whose clock was not measured. */
        public Presence(boolean online, Instant lastSeen, boolean sirenSounding, Boolean doorOpen,
                Map<ItemKind, Integer> itemsPresent, Boolean tamper, Boolean onMains, Integer batteryLevel) {
            this(online, lastSeen, sirenSounding, doorOpen, itemsPresent, tamper, onMains, batteryLevel, null);
        }

        /** A box that reported no tamper, power source or battery level. */
        public Presence(boolean online, Instant lastSeen, boolean sirenSounding, Boolean doorOpen,
                Map<ItemKind, Integer> itemsPresent) {
            this(online, lastSeen, sirenSounding, doorOpen, itemsPresent, null, null, null);
        }

        /** The box reported its enclosure open. */
        public boolean tampered() {
            return Boolean.TRUE.equals(tamper);
        }

        /** The battery level is below {@code percent}. */
        public boolean batteryBelow(int percent) {
            return batteryLevel != null && batteryLevel < percent;
        }

        /** The battery level is below {@link #LOW_BATTERY_PERCENT}. */
        public boolean batteryLow() {
            return batteryBelow(LOW_BATTERY_PERCENT);
        }

        /** The box's clock was measured further than {@code bound} from the hub's; false when never measured. */
        public boolean clockSkewed(Duration bound) {
            return clockOffset != null && clockOffset.beyond(bound);
        }

        Presence withOnline(boolean value, Instant seen) {
            return new Presence(value, seen, sirenSounding, doorOpen, itemsPresent, tamper, onMains, batteryLevel,
                    clockOffset);
        }

        Presence withSiren(boolean value, Instant seen) {
            return new Presence(true, seen, value, doorOpen, itemsPresent, tamper, onMains, batteryLevel, clockOffset);
        }

        Presence withDoor(boolean value, Instant seen) {
            return new Presence(true, seen, sirenSounding, value, itemsPresent, tamper, onMains, batteryLevel,
                    clockOffset);
        }

        Presence withItems(Map<ItemKind, Integer> value, Instant seen) {
            return new Presence(true, seen, sirenSounding, doorOpen, value, tamper, onMains, batteryLevel, clockOffset);
        }

        Presence withTamper(boolean value, Instant seen) {
            return new Presence(true, seen, sirenSounding, doorOpen, itemsPresent, value, onMains, batteryLevel,
                    clockOffset);
        }

        Presence withMains(boolean value, Instant seen) {
            return new Presence(true, seen, sirenSounding, doorOpen, itemsPresent, tamper, value, batteryLevel,
                    clockOffset);
        }

        Presence withBattery(int value, Instant seen) {
            return new Presence(true, seen, sirenSounding, doorOpen, itemsPresent, tamper, onMains, value, clockOffset);
        }

        /** Only the clock offset changes: what was seen of the box stays as it is. */
        Presence withClockOffset(ClockOffset value) {
            return new Presence(online, lastSeen, sirenSounding, doorOpen, itemsPresent, tamper, onMains,
                    batteryLevel, value);
        }

        /** Whether the enclosure, power or battery differ from {@code other}'s. */
        boolean conditionDiffers(Presence other) {
            return !Objects.equals(tamper, other.tamper) || !Objects.equals(onMains, other.onMains)
                    || !Objects.equals(batteryLevel, other.batteryLevel);
        }
    }
}
