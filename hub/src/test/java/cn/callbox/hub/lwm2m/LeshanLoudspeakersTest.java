package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.announcement.Loudspeakers.Delivery;
import cn.callbox.hub.announcement.Loudspeakers.Speech;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.system.HubProperties;

/** Announcements over real LwM2M: the hub's Leshan server and a Leshan client box on loopback DTLS. */
class LeshanLoudspeakersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);

    private final Fakes.Keys keys = new Fakes.Keys().add("box-a", "box-a-psk", KEY);
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(new Fakes.Statuses(),
            (e, d, i) -> {
            }, (endpoint, p) -> {
            });
    private LeshanServerLifecycle server;
    private TestCallBox box;
    private LeshanLoudspeakers loudspeakers;

    @BeforeEach
    void givenServerAndRegisteredBox() {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, null, "127.0.0.1", null), keys,
                new Fakes.Alarms(), presence, Clock.systemUTC());
        server.start();
        box = TestCallBox.withPsk(server.secureUri(), "box-a", "box-a-psk", KEY).start();
        await().atMost(WAIT).until(() -> box.isRegistered() && presence.presenceOf("box-a").online());
        loudspeakers = new LeshanLoudspeakers(server);
    }

    @AfterEach
    void tearDown() {
        if (box != null) {
            box.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void the_text_reaches_the_box_and_is_announced() throws Exception {
        Delivery delivery = loudspeakers.announce("box-a", new Speech("今晚有大风，请收好晾晒的衣物。", null, 1),
                Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);

        assertThat(delivery).isEqualTo(Delivery.announced());
        assertThat(box.loudspeaker.text).isEqualTo("今晚有大风，请收好晾晒的衣物。");
        assertThat(box.loudspeaker.announcedText).isEqualTo("今晚有大风，请收好晾晒的衣物。");
        assertThat(box.loudspeaker.announcements).hasValue(1);
    }

    @Test
    void a_box_that_refuses_a_request_is_not_told_to_announce_and_the_refusal_is_the_result() throws Exception {
        // the test box has no clip and no repeat resource: the write is refused before Announce
        Delivery clip = loudspeakers.announce("box-a", new Speech(null, "test", 1), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);
        Delivery repeated = loudspeakers.announce("box-a", new Speech("两遍", null, 2), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);

        assertThat(clip.ok()).isFalse();
        assertThat(clip.detail()).startsWith("refused: ").contains("/33003/0/2");
        assertThat(repeated.ok()).isFalse();
        assertThat(repeated.detail()).startsWith("refused: ").contains("/33003/0/3");
        assertThat(box.loudspeaker.announcements).hasValue(0);
    }

    @Test
    void an_ordinary_announcement_at_a_box_playing_its_alarm_announcement_is_busy() throws Exception {
        box.loudspeaker.playingAlarm = true;

        Delivery delivery = loudspeakers.announce("box-a", new Speech("今晚有大风。", null, 1), Duration.ofSeconds(10))
                .get(15, TimeUnit.SECONDS);

        assertThat(delivery).isEqualTo(Delivery.failed(Delivery.BUSY));
        assertThat(box.loudspeaker.announcements).hasValue(0);
    }

    @Test
    void a_box_that_is_not_registered_is_offline_at_once() throws Exception {
        assertThat(loudspeakers.announce("box-z", new Speech("x", null, 1), Duration.ofSeconds(10))
                .get(1, TimeUnit.SECONDS)).isEqualTo(Delivery.failed("offline"));
        box.stopSilently();
        server.stop();
        assertThat(loudspeakers.announce("box-a", new Speech("x", null, 1), Duration.ofSeconds(10))
                .get(1, TimeUnit.SECONDS)).isEqualTo(Delivery.failed("offline"));
    }
}
