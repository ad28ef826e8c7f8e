package cn.callbox.protocol.mqtt;

import java.util.regex.Pattern;

/**
 * MQTT topic names (ARCHITECTURE.md). Every topic starts with {@code callbox/<township>/}. Ids used as topic levels
 * must be {@linkplain #isValidLevel valid levels}: no wildcards, separators or blanks.
 */
public final class Topics {

    private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Topics() {
    }

    /** Unit alerts, not retained, published by the hub. */
    public static String alerts(String township, String unit) {
        return unitTopic(township, unit, "alerts");
    }

    /** Member acknowledgements, not retained, published by members. */
    public static String acks(String township, String unit) {
        return unitTopic(township, unit, "acks");
    }

    /** The acks of every unit of a township, for the hub's subscription. */
    public static String allAcks(String township) {
        return root(township) + "units/+/acks";
    }

    /** Retained current state of an incident. */
    public static String incident(String township, String incidentId) {
        return root(township) + "incidents/" + level(incidentId);
    }

    /** Retained status of a call box. */
    public static String callBoxStatus(String township, String endpoint) {
        return root(township) + "callboxes/" + level(endpoint) + "/status";
    }

    /** Every topic of a unit: what a member's credential may read. */
    public static String unitFilter(String township, String unit) {
        return root(township) + "units/" + level(unit) + "/#";
    }

    /** Every topic of a township. */
    public static String townshipFilter(String township) {
        return root(township) + "#";
    }

    /** The unit id of a {@code callbox/<township>/units/<unit>/...} topic, or null for any other topic. */
    public static String unitOf(String township, String topic) {
        String prefix = root(township) + "units/";
        if (topic == null || !topic.startsWith(prefix)) {
            return null;
        }
        String rest = topic.substring(prefix.length());
        int slash = rest.indexOf('/');
        return slash > 0 ? rest.substring(0, slash) : null;
    }

    /** True when {@code id} can stand as one topic level (and as an LwM2M endpoint or unit id). */
    public static boolean isValidLevel(String id) {
        return id != null && LEVEL.matcher(id).matches();
    }

    private static String root(String township) {
        return "callbox/" + level(township) + "/";
    }

    private static String unitTopic(String township, String unit, String leaf) {
        return root(township) + "units/" + level(unit) + "/" + leaf;
    }

    private static String level(String id) {
        if (!isValidLevel(id)) {
            throw new IllegalArgumentException("not a valid topic level: '" + id + "'");
        }
        return id;
    }
}
