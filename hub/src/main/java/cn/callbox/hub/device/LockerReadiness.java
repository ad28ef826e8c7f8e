package cn.callbox.hub.device;

/**
 * Says whether a call box's unit has the kit the equipment standard asks for, for {@code lockerReady} on the box's
 * status topic. Implemented by the readiness feature. Must return quickly and not throw.
 */
@FunctionalInterface
public interface LockerReadiness {

    /** Not judged yet, for every box. */
    LockerReadiness UNKNOWN = endpoint -> null;

    /** @return true when the box's unit has its kit; false when kit is missing; null when not judged (yet) */
    Boolean lockerReady(String endpoint);
}
