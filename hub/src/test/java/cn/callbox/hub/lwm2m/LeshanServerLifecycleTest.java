package cn.callbox.hub.lwm2m;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.response.SendResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.InMemoryCallBoxPresence;
import cn.callbox.hub.incident.AlarmRecord;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.lwm2m.PushButtonObject;

/** The hub's LwM2M server against real Leshan clients over loopback DTLS (and plain CoAP in development mode). */
class LeshanServerLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");
    private static final String BOX = "houshan-market-01";
    private static final String BOX_IDENTITY = "houshan-market-01-psk";
    private static final byte[] BOX_KEY = "0123456789abcdef0123".getBytes(StandardCharsets.US_ASCII);

    private final Fakes.Keys keys = new Fakes.Keys().add(BOX, BOX_IDENTITY, BOX_KEY);
    private final Fakes.Alarms alarms = new Fakes.Alarms();
    private final Fakes.Statuses statuses = new Fakes.Statuses();
    private final List<Map<ItemKind, Integer>> lockerChanges = new CopyOnWriteArrayList<>();
    private final InMemoryCallBoxPresence presence = new InMemoryCallBoxPresence(statuses,
            (endpoint, doorOpen, items) -> lockerChanges.add(items));
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private LeshanServerLifecycle server;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private LeshanServerLifecycle givenServer(Integer coapPort) {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, coapPort, "127.0.0.1", null), keys,
                alarms, presence, Clock.fixed(NOW, ZoneOffset.UTC));
        server.start();
        return server;
    }

    /** A server with the commands wired as the hub wires them: their registration listener added before start. */
    private LeshanCallBoxCommands givenServerWithCommands(Clock commandsClock) {
        server = new LeshanServerLifecycle(new HubProperties.Lwm2m(0, null, "127.0.0.1", null), keys, alarms,
                presence, Clock.fixed(NOW, ZoneOffset.UTC));
        LeshanCallBoxCommands commands = new LeshanCallBoxCommands(server, 5000, commandsClock,
                Duration.ofMinutes(10));
        server.addRegistrationListener(commands.registrationListener());
        server.start();
        return commands;
    }

    private TestCallBox givenBox(URI uri, String endpoint, String identity, byte[] key) {
        TestCallBox box = TestCallBox.withPsk(uri, endpoint, identity, key);
        toClose.add(box);
        return box;
    }

    private TestCallBox givenRegisteredBox() {
        TestCallBox box = givenBox(givenServer(null).secureUri(), BOX, BOX_IDENTITY, BOX_KEY).start();
        await().atMost(WAIT).until(() -> box.isRegistered() && presence.presenceOf(BOX).online());
        return box;
    }

    @Test
    void reports_real_ports_after_start_and_plain_coap_only_when_asked() {
        LeshanServerLifecycle started = givenServer(null);

        assertThat(started.secureUri().getScheme()).isEqualTo("coaps");
        assertThat(started.secureUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(started.secureUri().getPort()).isPositive();
        assertThat(started.plainUri()).isEmpty();
    }

    @Test
    void known_box_registers_and_shows_online() {
        givenRegisteredBox();

        Presence seen = presence.presenceOf(BOX);
        assertThat(seen.online()).isTrue();
        assertThat(seen.lastSeen()).isEqualTo(NOW);
        await().atMost(WAIT).until(() -> statuses.last(BOX).isPresent());
        assertThat(statuses.last(BOX).get().online()).isTrue();
        assertThat(statuses.last(BOX).get().lastSeen()).isEqualTo("2026-11-29T08:00:00Z");
        assertThat(statuses.last(BOX).get().lockerReady()).isNull();
    }

    @Test
    void box_with_a_wrong_key_does_not_register() throws Exception {
        TestCallBox box = givenBox(givenServer(null).secureUri(), BOX, BOX_IDENTITY,
                "not-the-right-key-0000".getBytes(StandardCharsets.US_ASCII)).start();

        box.awaitRegistrationFailure(WAIT);

        assertThat(box.isRegistered()).isFalse();
        assertThat(presence.presenceOf(BOX)).isEqualTo(Presence.UNKNOWN);
    }

    @Test
    void unknown_endpoint_does_not_register_even_with_another_box_key() throws Exception {
        TestCallBox intruder = givenBox(givenServer(null).secureUri(), "intruder", BOX_IDENTITY, BOX_KEY).start();

        ResponseCode code = intruder.awaitRegistrationFailure(WAIT);

        assertThat(code).isIn(ResponseCode.FORBIDDEN, ResponseCode.BAD_REQUEST);
        assertThat(intruder.isRegistered()).isFalse();
        assertThat(presence.presenceOf("intruder")).isEqualTo(Presence.UNKNOWN);
    }

    @Test
    void plain_coap_in_development_lets_known_boxes_in_and_refuses_unknown_ones() throws Exception {
        URI plain = givenServer(0).plainUri().orElseThrow();
        TestCallBox stranger = TestCallBox.withoutSecurity(plain, "stranger");
        toClose.add(stranger);
        TestCallBox known = TestCallBox.withoutSecurity(plain, BOX);
        toClose.add(known);

        ResponseCode code = stranger.start().awaitRegistrationFailure(WAIT);
        known.start();

        assertThat(code).isIn(ResponseCode.FORBIDDEN, ResponseCode.BAD_REQUEST);
        assertThat(presence.presenceOf("stranger")).isEqualTo(Presence.UNKNOWN);
        await().atMost(WAIT).until(() -> presence.presenceOf(BOX).online());
    }

    @Test
    void alarm_send_arrives_as_record_with_its_sequence_and_press_time() throws Exception {
        TestCallBox box = givenRegisteredBox();
        Instant pressedAt = Instant.parse("2026-11-29T07:59:58Z");

        SendResponse response = box.send(alarmsAt(Map.of(pressedAt, 7L)));

        assertThat(response.getCode()).as("%s", response).isEqualTo(ResponseCode.CHANGED);
        // acknowledged only after the record was taken: no waiting needed
        assertThat(alarms.received).containsExactly(new AlarmRecord(BOX, 7, pressedAt));
    }

    @Test
    void backlog_send_with_two_timestamps_yields_two_records() throws Exception {
        TestCallBox box = givenRegisteredBox();
        Instant first = Instant.parse("2026-11-29T06:00:00Z");
        Instant second = Instant.parse("2026-11-29T06:05:00Z");

        SendResponse response = box.send(alarmsAt(Map.of(second, 12L, first, 11L)));

        assertThat(response.isSuccess()).isTrue();
        assertThat(alarms.received).containsExactly(new AlarmRecord(BOX, 11, first), new AlarmRecord(BOX, 12, second));
    }

    @Test
    void alarm_that_cannot_be_recorded_is_answered_with_an_error_so_the_box_keeps_it() throws Exception {
        TestCallBox box = givenRegisteredBox();
        Instant pressedAt = Instant.parse("2026-11-29T07:00:00Z");
        alarms.failures.set(1);

        SendResponse refused = box.send(alarmsAt(Map.of(pressedAt, 3L)));
        SendResponse resent = box.send(alarmsAt(Map.of(pressedAt, 3L)));

        assertThat(refused.getCode()).isEqualTo(ResponseCode.INTERNAL_SERVER_ERROR);
        assertThat(resent.getCode()).isEqualTo(ResponseCode.CHANGED);
        assertThat(alarms.received).containsExactly(new AlarmRecord(BOX, 3, pressedAt));
    }

    @Test
    void send_without_an_alarm_is_accepted_and_records_nothing() throws Exception {
        TestCallBox box = givenRegisteredBox();

        SendResponse response = box.send(new TimestampedLwM2mNodes.Builder()
                .put(NOW, new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.STATE),
                        LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, false))
                .build());

        assertThat(response.isSuccess()).isTrue();
        assertThat(alarms.received).isEmpty();
    }

    @Test
    void observed_locker_and_siren_reach_presence_and_follow_changes() {
        TestCallBox box = givenRegisteredBox();
        await().atMost(WAIT).until(() -> presence.presenceOf(BOX).doorOpen() != null
                && presence.presenceOf(BOX).itemsPresent().size() == 2);
        assertThat(presence.presenceOf(BOX).doorOpen()).isFalse();
        assertThat(presence.presenceOf(BOX).itemsPresent())
                .isEqualTo(Map.of(ItemKind.HELMET, 3, ItemKind.BATON, 2));

        box.locker.setDoorOpen(true);
        box.helmets.setPresent(1);
        box.siren.setSounding(true);

        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(presence.presenceOf(BOX).doorOpen())
                && presence.presenceOf(BOX).itemsPresent().get(ItemKind.HELMET) == 1
                && presence.presenceOf(BOX).sirenSounding());
        assertThat(lockerChanges).last().isEqualTo(Map.of(ItemKind.HELMET, 1, ItemKind.BATON, 2));
        await().atMost(WAIT).until(() -> statuses.last(BOX).orElseThrow().sirenSounding());
    }

    @Test
    void re_registration_observes_again() {
        TestCallBox box = givenRegisteredBox();
        await().atMost(WAIT).until(() -> Boolean.FALSE.equals(presence.presenceOf(BOX).doorOpen()));

        box.stopSilently();
        box.start();
        // the new registration must bring fresh observations: a change after it is seen
        await().atMost(WAIT).until(box::isRegistered);
        box.locker.setDoorOpen(true);
        box.siren.setSounding(true);

        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(presence.presenceOf(BOX).doorOpen())
                && presence.presenceOf(BOX).sirenSounding());
    }

    @Test
    void siren_command_sounds_the_box_siren_and_stop_silences_it() {
        TestCallBox box = givenRegisteredBox();
        LeshanCallBoxCommands commands = new LeshanCallBoxCommands(server, 5000);

        commands.soundSiren(BOX, SirenPattern.DRILL, Duration.ofSeconds(90));

        await().atMost(WAIT).until(() -> box.siren.sounding);
        assertThat(box.siren.pattern).isEqualTo("drill");
        assertThat(box.siren.duration).isEqualTo(90);
        await().atMost(WAIT).until(() -> presence.presenceOf(BOX).sirenSounding());

        commands.stopSiren(BOX);

        await().atMost(WAIT).until(() -> !box.siren.sounding && !presence.presenceOf(BOX).sirenSounding());
    }

    @Test
    void call_status_and_announcement_reach_the_box() {
        TestCallBox box = givenRegisteredBox();
        LeshanCallBoxCommands commands = new LeshanCallBoxCommands(server, 5000);

        commands.showCallStatus(BOX, CallState.RECEIVED, "inc-42");
        commands.announce(BOX, "后山场镇集市报警，请立即前往", SoundPriority.ALARM);

        await().atMost(WAIT).until(() -> "received".equals(box.callStatus.state));
        assertThat(box.callStatus.incident).isEqualTo("inc-42");
        await().atMost(WAIT).until(() -> box.loudspeaker.announcements.get() == 1);
        assertThat(box.loudspeaker.announcedText).isEqualTo("后山场镇集市报警，请立即前往");
        assertThat(box.loudspeaker.announcedPriority).as("marked, so no routine announcement cuts into it")
                .isEqualTo("alarm");
    }

    @Test
    void commands_to_a_box_that_is_not_registered_are_skipped_without_throwing() {
        givenServer(null);
        LeshanCallBoxCommands commands = new LeshanCallBoxCommands(server, 5000);

        assertThatCode(() -> {
            commands.soundSiren("absent", SirenPattern.ALARM, Duration.ofMinutes(3));
            commands.stopSiren("absent");
            commands.announce("absent", "测试", SoundPriority.ROUTINE);
            commands.showCallStatus("absent", CallState.IDLE, null);
            commands.soundSiren(null, SirenPattern.ALARM, Duration.ofMinutes(3));
        }).doesNotThrowAnyException();
    }

    @Test
    void commands_for_a_box_not_registered_yet_are_delivered_when_it_registers() {
        MutableClock clock = new MutableClock(NOW);
        LeshanCallBoxCommands commands = givenServerWithCommands(clock);
        URI uri = server.secureUri();

        commands.soundSiren("inc-7", BOX, SirenPattern.ALARM, Duration.ofSeconds(180));
        commands.announce("inc-7", BOX, "后山场镇集市报警，请立即前往", SoundPriority.ALARM);
        commands.showCallStatus(BOX, CallState.RECEIVED, "inc-7");
        assertThat(commands.waiting(BOX)).isEqualTo(3);
        clock.advance(Duration.ofSeconds(30)); // the box finds the restarted hub at its next heartbeat

        TestCallBox box = givenBox(uri, BOX, BOX_IDENTITY, BOX_KEY).start();

        await().atMost(WAIT).until(() -> box.siren.sounding);
        assertThat(box.siren.pattern).isEqualTo("alarm");
        assertThat(box.siren.duration).as("what is left of the 180 s").isEqualTo(150);
        await().atMost(WAIT).until(() -> box.loudspeaker.announcements.get() == 1);
        assertThat(box.loudspeaker.announcedText).isEqualTo("后山场镇集市报警，请立即前往");
        await().atMost(WAIT).until(() -> "received".equals(box.callStatus.state));
        assertThat(commands.waiting(BOX)).isZero();
    }

    @Test
    void a_waiting_siren_of_an_incident_that_ended_never_sounds_but_the_box_learns_its_call_is_over() {
        MutableClock clock = new MutableClock(NOW);
        LeshanCallBoxCommands commands = givenServerWithCommands(clock);

        commands.soundSiren("inc-8", BOX, SirenPattern.ALARM, Duration.ofSeconds(180));
        commands.announce("inc-8", BOX, "后山场镇集市报警，请立即前往", SoundPriority.ALARM);
        commands.soundSiren("inc-9", "houshan-school-01", SirenPattern.ALARM, Duration.ofSeconds(180));
        commands.showCallStatus(BOX, CallState.IDLE, "inc-8");
        commands.incidentEnded("inc-8");
        commands.stopSiren("inc-8", BOX);

        assertThat(commands.waiting(BOX)).as("only the call status").isEqualTo(1);
        assertThat(commands.waiting("houshan-school-01")).as("another incident's siren").isEqualTo(1);
        TestCallBox box = givenBox(server.secureUri(), BOX, BOX_IDENTITY, BOX_KEY).start();
        await().atMost(WAIT).until(() -> "inc-8".equals(box.callStatus.incident));
        assertThat(box.callStatus.state).isEqualTo("idle");
        assertThat(box.siren.sounding).isFalse();
        assertThat(box.loudspeaker.announcements.get()).isZero();
    }

    @Test
    void a_siren_that_waited_longer_than_it_lasts_is_dropped() {
        MutableClock clock = new MutableClock(NOW);
        LeshanCallBoxCommands commands = givenServerWithCommands(clock);

        commands.soundSiren("inc-10", BOX, SirenPattern.ALARM, Duration.ofSeconds(60));
        commands.showCallStatus(BOX, CallState.RECEIVED, "inc-10");
        clock.advance(Duration.ofSeconds(61));
        TestCallBox box = givenBox(server.secureUri(), BOX, BOX_IDENTITY, BOX_KEY).start();

        await().atMost(WAIT).until(() -> "received".equals(box.callStatus.state));
        assertThat(box.siren.sounding).isFalse();
    }

    private static TimestampedLwM2mNodes alarmsAt(Map<Instant, Long> sequences) {
        TimestampedLwM2mNodes.Builder builder = new TimestampedLwM2mNodes.Builder();
        sequences.forEach((at, sequence) -> {
            builder.put(at, new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.STATE),
                    LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, true));
            builder.put(at, new LwM2mPath(PushButtonObject.ID, 0, PushButtonObject.COUNTER),
                    LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, sequence));
        });
        return builder.build();
    }
}
