package cn.callbox.hub.supervision;

/**
 * Where supervision tells the command centre about locker events: MQTT {@code callbox/<township>/callboxes/<endpoint>/
 * events}, not retained. Returns at once; may throw {@link RuntimeException} when the event cannot be queued (the
 * caller logs it).
 */
public interface SupervisionEvents {

    void publishEvent(String endpoint, LockerEvent event);

    /**
     * The JSON of an event.
     *
     * @param type {@code unplanned-access}
     * @param callbox the box's endpoint
     * @param unit the unit the box belongs to; null when the registry has none
     * @param at ISO-8601 instant the door opened (hub time)
     */
    record LockerEvent(String type, String callbox, String unit, String at) {

        public static final String UNPLANNED_ACCESS = "unplanned-access";
    }
}
