package cn.callbox.hub.rectification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.rectification.RectificationTasks.Reason;

/** A box that goes silent opens a box-offline task for its unit; heard again, the sensors rectify it. */
class BoxOfflineRectifierTest {

    final MutableClock clock = new MutableClock(RectificationServiceTest.T0);
    final RectificationServiceTest.Published published = new RectificationServiceTest.Published();
    final RectificationService service = RectificationServiceTest.service(clock, published);
    /** Runs the work on the caller's thread, in order. */
    final BoxOfflineRectifier rectifier = new BoxOfflineRectifier(service, new Boxes(), Runnable::run);
    /** The real presence, telling the rectifier of online changes as in the hub. */
    final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence((endpoint, status) -> {
    }, (endpoint, door, items) -> {
    }, rectifier);

    /** box-1 and box-2 in unit-a; box-x in no unit. */
    static final class Boxes extends EmptyTownshipDirectory {
        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return switch (endpoint) {
                case "box-1", "box-2" -> Optional.of(new CallBoxInfo(endpoint, "村口", "p", "v1", "村", 30.8, 108.4,
                        "unit-a"));
                case "box-x" -> Optional.of(new CallBoxInfo(endpoint, "库房", "p", "v1", "村", 30.8, 108.4, null));
                default -> Optional.empty();
            };
        }
    }

    @Test
    void boxes_never_heard_since_the_start_open_nothing() {
        Instant now = clock.instant();
        presence.offline("box-1"); // unknown → offline: no change, no listener call
        assertThat(presence.offlineIfSilent(now.plusSeconds(60))).isEmpty();
        // a listener call for a box never seen (no last-seen time) is no finding either
        rectifier.onlineChanged("box-2", Presence.UNKNOWN);

        assertThat(service.all()).isEmpty();
    }

    @Test
    void online_to_offline_opens_one_task_and_online_again_rectifies_it() {
        presence.registered("box-1", clock.instant());
        presence.registered("box-2", clock.instant());
        assertThat(service.all()).isEmpty(); // coming online is no finding

        clock.advance(Duration.ofMinutes(2));
        presence.seen("box-2", clock.instant());
        assertThat(presence.offlineIfSilent(clock.instant().minusSeconds(60))).containsExactly("box-1");

        assertThat(service.all()).singleElement().satisfies(t -> {
            assertThat(t.unitId()).isEqualTo("unit-a");
            assertThat(t.reason()).isEqualTo(Reason.BOX_OFFLINE);
            assertThat(t.subject()).isEqualTo("box-1");
            assertThat(t.state()).isEqualTo(RectificationState.NOTIFIED);
            assertThat(t.detail()).contains("box-1").contains("离线");
            assertThat(t.dueAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
        });
        String id = service.all().get(0).id();

        presence.offline("box-1"); // already offline: nothing new
        assertThat(service.all()).hasSize(1);

        presence.registered("box-1", clock.instant());
        Rectification back = service.get(id);
        assertThat(back.state()).isEqualTo(RectificationState.RECTIFIED);
        assertThat(back.log()).extracting(Rectification.LogLine::message)
                .contains("call box box-1 is online again");
        assertThat(service.verify(id, "admin").state()).isEqualTo(RectificationState.CLOSED);

        // silent again after the task was closed: a new task
        presence.offline("box-1");
        assertThat(service.all()).hasSize(2);
        assertThat(service.all()).filteredOn(t -> t.state().active()).singleElement()
                .satisfies(t -> assertThat(t.id()).isNotEqualTo(id));
    }

    @Test
    void a_box_of_no_unit_or_an_unknown_box_opens_nothing() {
        presence.registered("box-x", clock.instant());
        presence.registered("box-9", clock.instant());
        presence.offline("box-x");
        presence.offline("box-9");
        presence.itemsPresent("box-1", cn.callbox.protocol.ItemKind.HELMET, 3, clock.instant());

        assertThat(service.all()).isEmpty();
        assertThat(presence.presenceOf("box-x").online()).isFalse();
        assertThat(presence.presenceOf("box-1").itemsPresent()).isEqualTo(Map.of(cn.callbox.protocol.ItemKind.HELMET, 3));
    }
}
