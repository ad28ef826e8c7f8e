package cn.callbox.hub.rectification;

import static cn.callbox.hub.rectification.RectificationServiceTest.readiness;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.readiness.ReadinessService.State;
import cn.callbox.hub.readiness.ReadinessService.UnitReadiness;
import cn.callbox.hub.rectification.RectificationTasks.Reason;

/** Findings that the first judgements after a start and the day change must still make. */
class ReadinessRectifierTest {

    final MutableClock clock = new MutableClock(RectificationServiceTest.T0); // 10:00 in Shanghai, 2026-11-30
    final RectificationService service = RectificationServiceTest.service(clock,
            new RectificationServiceTest.Published());
    final Set<String> read = new HashSet<>();
    final Set<String> busy = new HashSet<>();
    final ReadinessRectifier rectifier = new ReadinessRectifier(service, busy::contains, read::contains, clock);

    List<Rectification> tasks(Reason reason) {
        return service.all().stream().filter(t -> t.reason() == reason).toList();
    }

    @Test
    void a_unit_short_at_the_start_gets_a_task_once_its_lockers_have_been_complete_for_a_while() {
        UnitReadiness offline = readiness(State.BOX_OFFLINE, 3, "m1", 0);
        UnitReadiness partial = readiness(State.KIT_MISSING, 3, "m1", 1);
        UnitReadiness short2 = readiness(State.KIT_MISSING, 3, "m1", 2);

        rectifier.readinessChanged(null, offline); // boxes not heard yet
        rectifier.readinessChanged(offline, partial); // online, lockers still being read
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        assertThat(service.all()).isEmpty();

        read.add("unit-a");
        rectifier.readinessChanged(partial, partial); // complete, but maybe mid-reading: wait
        rectifier.tick();
        assertThat(service.all()).isEmpty();
        rectifier.readinessChanged(partial, short2); // the last reading arrives
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        assertThat(tasks(Reason.KIT_MISSING)).singleElement().satisfies(t -> {
            assertThat(t.subject()).isEqualTo("helmet");
            assertThat(t.state()).isEqualTo(RectificationState.NOTIFIED);
            assertThat(t.detail()).contains("防暴头盔").contains("2").contains("3");
        });

        // checked once: later unchanged shortness is not a new finding; the item back rectifies it
        rectifier.readinessChanged(short2, short2);
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        assertThat(service.all()).hasSize(1);
        rectifier.readinessChanged(short2, readiness(State.READY, 3, "m1", 3));
        assertThat(tasks(Reason.KIT_MISSING).get(0).state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void a_shortness_seen_only_while_the_lockers_were_being_read_opens_nothing() {
        read.add("unit-a");
        rectifier.readinessChanged(null, readiness(State.KIT_MISSING, 3, "m1", 0)); // helmets not read yet
        rectifier.readinessChanged(readiness(State.KIT_MISSING, 3, "m1", 0), readiness(State.READY, 3, "m1", 3));
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        assertThat(service.all()).isEmpty();
    }

    @Test
    void a_box_going_offline_before_the_wait_is_over_postpones_the_check() {
        read.add("unit-a");
        rectifier.readinessChanged(null, readiness(State.KIT_MISSING, 3, "m1", 2));
        rectifier.readinessChanged(readiness(State.KIT_MISSING, 3, "m1", 2), readiness(State.BOX_OFFLINE, 3, "m1", 2));
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        assertThat(service.all()).isEmpty();
    }

    @Test
    void a_complete_first_judgement_of_a_ready_unit_or_one_in_an_incident_opens_nothing() {
        read.add("unit-a");
        rectifier.readinessChanged(null, readiness(State.READY, 3, "m1", 3));
        ReadinessRectifier other = new ReadinessRectifier(service, unit -> true, unit -> true, clock);
        other.readinessChanged(null, readiness(State.KIT_MISSING, 3, "m1", 1)); // kit in use at an incident
        clock.advance(ReadinessRectifier.SETTLE);
        rectifier.tick();
        other.tick();
        assertThat(service.all()).isEmpty();
    }

    @Test
    void understaffed_at_the_start_opens_a_task_and_staying_understaffed_over_midnight_opens_one_for_the_new_day() {
        UnitReadiness understaffed = readiness(State.UNDERSTAFFED, 2, "m1", 3);
        rectifier.readinessChanged(null, understaffed);
        assertThat(tasks(Reason.UNDERSTAFFED)).singleElement()
                .satisfies(t -> assertThat(t.subject()).isEqualTo("2026-11-30"));
        rectifier.readinessChanged(understaffed, readiness(State.UNDERSTAFFED, 2, null, 3)); // same day
        assertThat(tasks(Reason.UNDERSTAFFED)).hasSize(1);

        clock.advance(Duration.ofHours(14)); // 00:00 on 12-01 in Shanghai
        rectifier.readinessChanged(understaffed, understaffed); // the monitor tells every unit after midnight
        assertThat(tasks(Reason.UNDERSTAFFED)).extracting(Rectification::subject)
                .containsExactlyInAnyOrder("2026-11-30", "2026-12-01");

        rectifier.readinessChanged(understaffed, readiness(State.READY, 3, "m1", 3));
        assertThat(tasks(Reason.UNDERSTAFFED)).filteredOn(t -> t.subject().equals("2026-12-01")).singleElement()
                .satisfies(t -> assertThat(t.state()).isEqualTo(RectificationState.RECTIFIED));
        // yesterday's task stays for staff: the day passed understaffed
        assertThat(tasks(Reason.UNDERSTAFFED)).filteredOn(t -> t.subject().equals("2026-11-30")).singleElement()
                .satisfies(t -> assertThat(t.state().active()).isTrue());
    }

    @Test
    void a_restart_on_a_day_that_is_staffed_again_rectifies_the_task_opened_before() {
        String id = service.open("unit-a", Reason.UNDERSTAFFED, "2026-11-30", "d");
        rectifier.readinessChanged(null, readiness(State.READY, 3, "m1", 3));
        assertThat(service.get(id).state()).isEqualTo(RectificationState.RECTIFIED);
    }
}
