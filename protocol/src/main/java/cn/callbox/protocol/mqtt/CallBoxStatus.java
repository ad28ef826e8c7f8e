package cn.callbox.protocol.mqtt;

/**
 * Retained payload of {@code callbox/<township>/callboxes/<endpoint>/status}. {@code lastSeen} is ISO-8601 UTC or
 * null; {@code lockerReady} is null while the hub has not yet read the locker.
 */
public record CallBoxStatus(boolean online, String lastSeen, boolean sirenSounding, Boolean lockerReady) {
}
