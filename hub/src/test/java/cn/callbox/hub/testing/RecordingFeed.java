package cn.callbox.hub.testing;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import cn.callbox.hub.system.ConsoleFeed;

/**
 * A console feed that keeps every event published to it, in order, for a test to look at. Safe to publish to from any
 * thread. In a test slice whose scan also finds the console's own feed, declare it {@code @Primary}.
 */
public final class RecordingFeed implements ConsoleFeed {

    /**
     * One published event.
     *
     * @param units the units it was scoped to ({@code List.of()} for admins only); {@code null} when published to
     *        everyone
     */
    public record Event(String name, Object payload, List<String> units) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String event, Object payload) {
        events.add(new Event(event, payload, null));
    }

    @Override
    public void publishForUnits(String event, Object payload, Collection<String> units) {
        events.add(new Event(event, payload, List.copyOf(units)));
    }

    /** Every event so far, oldest first (a live view). */
    public List<Event> events() {
        return events;
    }

    /** The events named {@code name} so far, oldest first (a copy). */
    public List<Event> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }
}
