package cn.callbox.hub.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.supervision.SupervisionEvents.LockerEvent;

/** Locker door openings: unplanned access outside an incident, muster evidence during one. */
class LockerWatchTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final Fakes.Tasks tasks = new Fakes.Tasks();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final List<LockerEvent> events = new CopyOnWriteArrayList<>();
    private final Incidents incidents = new Incidents();
    private final LockerWatch watch = new LockerWatch(new Fakes.Directory(), incidents,
            Fakes.provider(SupervisionEvents.class, (endpoint, event) -> {
                published.add(endpoint);
                events.add(event);
            }), Fakes.provider(RectificationTasks.class, tasks), clock, Runnable::run);

    /** Which units have an open incident, and the musters recorded. */
    static final class Incidents implements IncidentLink {
        volatile Set<String> openFor = Set.of();
        final List<String> musters = new CopyOnWriteArrayList<>();

        @Override
        public boolean hasOpenIncidentFor(String unitId) {
            return openFor.contains(unitId);
        }

        @Override
        public void recordMuster(String unitId, Instant openedAt) {
            musters.add(unitId + "@" + openedAt);
        }
    }

    private void door(String endpoint, boolean open) {
        watch.lockerChanged(endpoint, open, Map.of());
    }

    @Test
    void door_opened_outside_an_incident_is_an_unplanned_access() {
        door("box-1", false);

        door("box-1", true);

        assertThat(published).containsExactly("box-1");
        assertThat(events).containsExactly(
                new LockerEvent("unplanned-access", "box-1", "unit-a", "2026-11-29T08:00:00Z"));
        assertThat(tasks.opened).singleElement().satisfies(task -> {
            assertThat(task.unit()).isEqualTo("unit-a");
            assertThat(task.reason()).isEqualTo(Reason.UNPLANNED_ACCESS);
            assertThat(task.subject()).isEqualTo("box-1");
            assertThat(task.detail()).contains("一组晒坝", "器材柜");
        });
        assertThat(incidents.musters).isEmpty();
    }

    @Test
    void door_opened_during_an_incident_of_the_unit_records_the_muster() {
        incidents.openFor = Set.of("unit-a");
        door("box-2", false);

        door("box-2", true);

        assertThat(incidents.musters).containsExactly("unit-a@2026-11-29T08:00:00Z");
        assertThat(events).isEmpty();
        assertThat(tasks.opened).isEmpty();
    }

    @Test
    void only_a_closed_to_open_change_counts() {
        door("box-1", true); // first reading after a registration: not an opening
        watch.lockerChanged("box-1", true, Map.of()); // an item change with the door still open
        watch.lockerChanged("box-1", null, Map.of()); // door not read yet

        assertThat(events).isEmpty();

        door("box-1", false);
        door("box-1", true);
        door("box-1", false);
        door("box-1", true);

        assertThat(events).hasSize(2);
    }

    @Test
    void a_failing_publisher_does_not_stop_the_task() {
        LockerWatch failing = new LockerWatch(new Fakes.Directory(), incidents,
                Fakes.provider(SupervisionEvents.class, (endpoint, event) -> {
                    throw new IllegalStateException("broker gone");
                }), Fakes.provider(RectificationTasks.class, tasks), clock, Runnable::run);
        failing.lockerChanged("box-1", false, Map.of());

        failing.lockerChanged("box-1", true, Map.of());

        assertThat(tasks.opened).hasSize(1);
    }
}
