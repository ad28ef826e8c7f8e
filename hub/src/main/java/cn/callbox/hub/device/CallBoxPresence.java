package cn.callbox.hub.device;

import java.time.Instant;
import java.util.Map;

import cn.callbox.protocol.ItemKind;

/** What the hub currently knows of each call box from LwM2M (registrations and observations). Thread-safe. */
public interface CallBoxPresence {

    /** The box's presence; {@link Presence#UNKNOWN} for a box never seen since the hub started. */
    Presence presenceOf(String endpoint);

    /**
     * @param online registered and not expired
     * @param lastSeen last registration, update or notification; null when never seen
     * @param sirenSounding from the observed 33002/0/0
     * @param doorOpen from the observed 33000/0/0; null when not read yet
     * @param itemsPresent from the observed 33001 instances, per kind; empty when not read yet
     */
    record Presence(boolean online, Instant lastSeen, boolean sirenSounding, Boolean doorOpen,
            Map<ItemKind, Integer> itemsPresent) {

        public static final Presence UNKNOWN = new Presence(false, null, false, null, Map.of());
    }
}
