package cn.callbox.hub.rectification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks.Reason;
import cn.callbox.hub.testing.MutableClock;

/**
 * What a box reports about itself opens tasks for its unit at once: an opened enclosure, mains lost, a low battery;
 * the box reporting the problem gone rectifies them.
 */
class BoxConditionRectifierTest {

    final MutableClock clock = new MutableClock(RectificationServiceTest.T0);
    final RectificationServiceTest.Published published = new RectificationServiceTest.Published();
    final RectificationService service = RectificationServiceTest.service(clock, published);
    /** Runs the work on the caller's thread, in order. */
    final BoxConditionRectifier rectifier = new BoxConditionRectifier(service, new BoxOfflineRectifierTest.Boxes(),
            Runnable::run);
    /** The real presence, telling the rectifier of condition changes as in the hub. */
    final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
    }, (endpoint, door, items) -> {
    }, (endpoint, p) -> {
    }, rectifier);

    private Rectification task(Reason reason) {
        return service.all().stream().filter(t -> t.reason() == reason).findFirst().orElse(null);
    }

    @Test
    void an_opened_enclosure_opens_a_tamper_task_and_shutting_it_rectifies_it() {
        presence.registered("box-1", clock.instant());
        presence.tamper("box-1", false, clock.instant());
        assertThat(service.all()).isEmpty();

        presence.tamper("box-1", true, clock.instant());
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.reason()).isEqualTo(Reason.TAMPER);
            assertThat(t.reason().wireName()).isEqualTo("tamper");
            assertThat(t.unitId()).isEqualTo("unit-a");
            assertThat(t.subject()).isEqualTo("box-1");
            assertThat(t.detail()).contains("box-1").contains("箱体被打开");
            assertThat(t.state()).isEqualTo(RectificationState.NOTIFIED);
            assertThat(t.dueAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        });

        clock.advance(Duration.ofMinutes(5));
        presence.tamper("box-1", false, clock.instant());
        assertThat(task(Reason.TAMPER).state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void mains_loss_opens_a_task_once_and_mains_back_rectifies_it() {
        presence.onMains("box-1", true, clock.instant());
        presence.onMains("box-1", false, clock.instant());
        presence.batteryLevel("box-1", 90, clock.instant()); // draining on battery: no second task
        presence.batteryLevel("box-1", 89, clock.instant());
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.reason().wireName()).isEqualTo("mains-lost");
            assertThat(t.detail()).contains("市电中断");
        });
        presence.onMains("box-1", true, clock.instant());
        assertThat(task(Reason.MAINS_LOST).state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void a_low_battery_opens_one_task_and_only_a_recovered_one_rectifies_it() {
        presence.batteryLevel("box-1", 31, clock.instant());
        assertThat(service.all()).isEmpty();
        presence.batteryLevel("box-1", 29, clock.instant());
        presence.batteryLevel("box-1", 31, clock.instant());
        presence.batteryLevel("box-1", 28, clock.instant());
        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.reason().wireName()).isEqualTo("low-battery");
            assertThat(t.detail()).contains("29%");
        });
        assertThat(task(Reason.LOW_BATTERY).state()).isEqualTo(RectificationState.NOTIFIED);

        presence.batteryLevel("box-1", 39, clock.instant());
        assertThat(task(Reason.LOW_BATTERY).state()).isEqualTo(RectificationState.NOTIFIED);
        presence.batteryLevel("box-1", 40, clock.instant());
        assertThat(task(Reason.LOW_BATTERY).state()).isEqualTo(RectificationState.RECTIFIED);
    }

    @Test
    void a_box_of_no_unit_opens_nothing() {
        presence.tamper("box-x", true, clock.instant());
        presence.onMains("box-x", false, clock.instant());
        assertThat(service.all()).isEmpty();
    }
}
