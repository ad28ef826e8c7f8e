package cn.callbox.hub.mqtt;

import cn.callbox.hub.mqtt.MqttPrincipal.Role;
import cn.callbox.protocol.mqtt.Topics;

/**
 * Who may subscribe to and publish on which topics of one township (ARCHITECTURE.md, security). Pure logic, no broker
 * types, so the rules are tested on their own and shared by every broker adapter.
 * <ul>
 * <li>{@link Role#HUB}: publishes and subscribes anywhere under {@code callbox/<township>/}, shared subscriptions
 * included (several hub instances share the acks).</li>
 * <li>{@link Role#ADMIN}: subscribes anywhere under {@code callbox/<township>/} and to {@code callbox/#} (so
 * {@code mosquitto_sub -t 'callbox/#'} works for staff); publishes nothing.</li>
 * <li>{@link Role#MEMBER}: subscribes only within {@link Topics#unitFilter its unit's topics}, publishes only
 * non-retained messages on {@link Topics#acks its unit's ack topic}.</li>
 * </ul>
 * Thread-safe (immutable).
 */
final class TopicAccessPolicy {

    private static final String SHARE_PREFIX = "$share/";

    private final String township;
    private final String townshipPrefix;

    /** @param township a valid topic level */
    TopicAccessPolicy(String township) {
        this.township = township;
        // Topics.townshipFilter is "callbox/<t>/#"; everything under it starts with this literal prefix.
        String filter = Topics.townshipFilter(township);
        this.townshipPrefix = filter.substring(0, filter.length() - 1);
    }

    String township() {
        return township;
    }

    /**
     * @param principal the authenticated client; null (never authenticated) is denied
     * @param topicFilter the filter as sent in SUBSCRIBE, possibly {@code $share/<group>/<filter>}
     */
    boolean maySubscribe(MqttPrincipal principal, String topicFilter) {
        if (principal == null || principal.role() == null || topicFilter == null || topicFilter.isEmpty()) {
            return false;
        }
        boolean shared = topicFilter.startsWith(SHARE_PREFIX);
        String filter = shared ? stripShare(topicFilter) : topicFilter;
        if (filter == null) {
            return false;
        }
        return switch (principal.role()) {
            case HUB -> withinTownship(filter);
            case ADMIN -> !shared && (withinTownship(filter) || filter.equals("callbox/#"));
            case MEMBER -> !shared && withinUnit(principal.unitId(), filter);
        };
    }

    /**
     * @param principal the authenticated client; null is denied
     * @param topic the topic name of the PUBLISH (never a filter)
     * @param retained whether the message asks to be retained
     */
    boolean mayPublish(MqttPrincipal principal, String topic, boolean retained) {
        if (principal == null || principal.role() == null || topic == null || hasWildcard(topic)) {
            return false;
        }
        return switch (principal.role()) {
            case HUB -> withinTownship(topic);
            case ADMIN -> false;
            case MEMBER -> !retained && Topics.isValidLevel(principal.unitId())
                    && topic.equals(Topics.acks(township, principal.unitId()));
        };
    }

    private boolean withinTownship(String filter) {
        return filter.startsWith(townshipPrefix) && filter.length() > townshipPrefix.length();
    }

    private boolean withinUnit(String unitId, String filter) {
        if (!Topics.isValidLevel(unitId)) {
            return false;
        }
        String unitFilter = Topics.unitFilter(township, unitId);
        String unitPrefix = unitFilter.substring(0, unitFilter.length() - 1);
        // "…/units/<u>/#" also matches "…/units/<u>" itself, so that one is harmless too.
        return filter.equals(unitPrefix.substring(0, unitPrefix.length() - 1))
                || (filter.startsWith(unitPrefix) && filter.length() > unitPrefix.length());
    }

    /** {@code $share/<group>/<filter>} to {@code <filter>}; null when malformed. */
    private static String stripShare(String topicFilter) {
        String rest = topicFilter.substring(SHARE_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return null;
        }
        String group = rest.substring(0, slash);
        return hasWildcard(group) ? null : rest.substring(slash + 1);
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('#') >= 0 || s.indexOf('+') >= 0;
    }
}
