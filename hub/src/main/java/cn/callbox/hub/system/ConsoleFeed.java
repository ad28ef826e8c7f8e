package cn.callbox.hub.system;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Live updates for the console's open pages (server-sent events on {@code GET /api/events}). Every feature that wants
 * the console to follow a change publishes it here; publishing returns at once and never throws. Events are not
 * stored: a page that (re)connects loads the current state over REST, then follows the events.
 */
public interface ConsoleFeed {

    /**
     * @param event the SSE event name, kebab-case, e.g. {@code callbox}, {@code incident}, {@code drill}
     * @param payload serialised to JSON (a record, a map, or an already-built JSON {@link RawJson})
     */
    void publish(String event, Object payload);

    /**
     * Like {@link #publish(String, Object)}, but a unit leader's page gets it only when their unit is one of
     * {@code units} (township-wide roles get everything).
     */
    void publishForUnits(String event, Object payload, Collection<String> units);

    /**
     * Like {@link #publishForUnits}, but the units are worked out later, off the publisher's thread: for callers on
     * the alarm path (an incident's change is published under the incident's monitor), where even parsing the
     * payload to find its units would cost the alarm time. This default works them out at once.
     */
    default void publishScoped(String event, Object payload, Supplier<? extends Collection<String>> units) {
        publishForUnits(event, payload, units.get());
    }

    /**
     * Like {@link #publish(String, Object)}, but only admins' pages get it: for changes no other role may see (firmware
     * roll-outs, whose API is admin only). The feed of the console ({@code ConsoleEventStream}) overrides this; this
     * default, for simple feeds that know no roles (test fakes), keeps it from unit leaders at least.
     */
    default void publishForAdmins(String event, Object payload) {
        publishForUnits(event, payload, List.of());
    }

    /** A payload that is JSON already (sent as it is). */
    record RawJson(String json) {
    }
}
