package cn.callbox.hub.rectification;

import static cn.callbox.hub.rectification.RectificationServiceTest.readiness;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;

/** Items taken during an incident and all put back close the incident's equipment check, once. */
class EquipmentReturnWatchTest {

    final MutableClock clock = new MutableClock(RectificationServiceTest.T0);
    final Set<String> busy = new HashSet<>();
    final List<String> returned = new CopyOnWriteArrayList<>();
    final EquipmentReturnWatch watch = new EquipmentReturnWatch(busy::contains,
            (unit, at) -> returned.add(unit + "@" + at), clock);

    final UnitReadiness four = readiness(State.READY, 3, "m1", 4);
    final UnitReadiness two = readiness(State.KIT_MISSING, 3, "m1", 2);
    final UnitReadiness three = readiness(State.READY, 3, "m1", 3);

    @Test
    void items_taken_during_an_incident_are_followed_until_every_one_is_back() {
        busy.add("unit-a");
        watch.readinessChanged(four, two); // the unit took two helmets out
        busy.clear(); // the incident closes before the kit comes back

        watch.readinessChanged(two, three);
        assertThat(returned).isEmpty(); // 3 of the 4 held before, although the standard is met
        watch.readinessChanged(three, readiness(State.BOX_OFFLINE, 3, "m1", 4));
        assertThat(returned).isEmpty(); // a box offline: the locker cannot be seen
        clock.advance(Duration.ofMinutes(20));
        watch.readinessChanged(readiness(State.BOX_OFFLINE, 3, "m1", 4), four);
        assertThat(returned).containsExactly("unit-a@" + clock.instant());

        watch.readinessChanged(four, three); // outside an incident: not this watch's business
        watch.readinessChanged(three, four);
        assertThat(returned).hasSize(1);
    }

    @Test
    void nothing_is_followed_outside_an_incident_or_on_the_first_judgement() {
        watch.readinessChanged(null, two);
        watch.readinessChanged(four, two);
        watch.readinessChanged(two, four);
        busy.add("unit-a");
        watch.readinessChanged(null, two);
        watch.readinessChanged(two, four); // rising during an incident is no return either
        assertThat(returned).isEmpty();
    }
}
