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

/**
 * A box silent for longer than the grace opens a box-offline task for its unit; heard again, the sensors rectify it. A
 * shorter dropout shows offline and opens nothing.
 */
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
    void a_dropout_shorter_than_the_grace_shows_offline_and_opens_no_task() {
        presence.registered("box-1", clock.instant());
        clock.advance(Duration.ofMinutes(1));
        assertThat(presence.offlineIfSilent(clock.instant().minusSeconds(45))).containsExactly("box-1");
        assertThat(presence.presenceOf("box-1").online()).isFalse();
        clock.advance(Duration.ofMinutes(3)); // 4 min silent, grace 5 min
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).isEmpty();

        presence.registered("box-1", clock.instant());
        clock.advance(Duration.ofMinutes(10));
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).isEmpty();

        assertThat(service.all()).isEmpty();
    }

    @Test
    void silence_past_the_grace_opens_one_task_and_online_again_rectifies_it() {
        presence.registered("box-1", clock.instant());
        presence.registered("box-2", clock.instant());
        assertThat(service.all()).isEmpty(); // coming online is no finding

        clock.advance(Duration.ofMinutes(2));
        presence.seen("box-2", clock.instant());
        assertThat(presence.offlineIfSilent(clock.instant().minusSeconds(60))).containsExactly("box-1");
        assertThat(service.all()).isEmpty(); // offline for a minute: no finding yet
        clock.advance(Duration.ofMinutes(3).plusSeconds(1)); // silent for 5 min and 1 s
        presence.seen("box-2", clock.instant());
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).containsExactly("box-1");
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).as("told once").isEmpty();

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
        assertThat(presence.offlineLasting(clock.instant())).isEmpty();
        assertThat(service.all()).hasSize(1);

        presence.registered("box-1", clock.instant());
        Rectification back = service.get(id);
        assertThat(back.state()).isEqualTo(RectificationState.RECTIFIED);
        assertThat(back.log()).extracting(Rectification.LogLine::message)
                .contains("call box box-1 is online again");
        assertThat(service.verify(id, "admin").state()).isEqualTo(RectificationState.CLOSED);

        // silent again after the task was closed: a new task once the silence lasts
        presence.offline("box-1");
        assertThat(service.all()).hasSize(1);
        clock.advance(Duration.ofMinutes(6));
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).containsExactly("box-1");
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
        clock.advance(Duration.ofMinutes(6));
        assertThat(presence.offlineLasting(clock.instant().minus(Duration.ofMinutes(5)))).hasSize(2);
        presence.itemsPresent("box-1", cn.callbox.protocol.ItemKind.HELMET, 3, clock.instant());

        assertThat(service.all()).isEmpty();
        assertThat(presence.presenceOf("box-x").online()).isFalse();
        assertThat(presence.presenceOf("box-1").itemsPresent()).isEqualTo(Map.of(cn.callbox.protocol.ItemKind.HELMET, 3));
    }
}
