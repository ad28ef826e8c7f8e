package cn.callbox.protocol.mqtt;

/**
 * Retained payload of {@code callbox/<township>/callboxes/<endpoint>/status}. {@code lastSeen} is ISO-8601 UTC or
 * null; {@code lockerReady} is null while the hub has not yet read the locker; {@code tamper} is true while the box
 * reports its enclosure open (tamper switch); {@code onMains} is false while the box runs on its battery, null when the
 * box has not reported its power source (never heard, or no AC-OK input).
 */
public record CallBoxStatus(boolean online, String lastSeen, boolean sirenSounding, Boolean lockerReady,
        boolean tamper, Boolean onMains) {

    /** The status of a box that reported no tamper and no power source. */
    public CallBoxStatus(boolean online, String lastSeen, boolean sirenSounding, Boolean lockerReady) {
        this(online, lastSeen, sirenSounding, lockerReady, false, null);
    }
}
