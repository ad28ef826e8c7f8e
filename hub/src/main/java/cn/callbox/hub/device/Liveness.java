package cn.callbox.hub.device;

import java.time.Duration;

/**
 * How often a box promised to be heard, from its LwM2M registration: its lifetime (a standard client updates its
 * registration before the lifetime ends), and the heartbeat our own boxes announce (a registration UPDATE that often).
 *
 * @param lifetime the registration lifetime; null when not known
 * @param heartbeat the announced heartbeat; null for a client that announced none (not one of our boxes)
 */
public record Liveness(Duration lifetime, Duration heartbeat) {

    /** Nothing known: supervision uses its fixed silence bound. */
    public static final Liveness UNKNOWN = new Liveness(null, null);
}
