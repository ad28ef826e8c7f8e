package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.mqtt.Topics;

/**
 * The hub on PostgreSQL, and PostgreSQL stopped for 60 s while villagers press buttons: the hub goes on from memory
 * (the pressing box is told the call was received, the units' sirens sound and their members get the MQTT alert), the
 * boxes keep their presses until the hub can store them, and once the database is back every incident is written, once
 * (a hub started afresh on the database shows them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageIT {

    private static final Duration FAST = Duration.ofSeconds(10);
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private PostgresProcess database;
    private HubProcess hub;
    private final List<BoxProcess> boxes = new ArrayList<>();
    private final Map<String, MqttWatcher> unitWatchers = new LinkedHashMap<>();
    private final Map<String, String> unitOfBox = new LinkedHashMap<>();

    @BeforeAll
    void start() throws IOException {
        database = new PostgresProcess();
        hub = new HubProcess(Files.createTempDirectory("callbox-outage-"),
                database.hubArgs().toArray(String[]::new)).start();
        for (var config : hub.boxConfigs()) {
            boxes.add(new BoxProcess(config).start());
        }
        for (BoxProcess box : boxes) {
            Await.until(box.endpoint + " online", Duration.ofSeconds(60), () -> hub.isOnline(box.endpoint));
        }
    }

    @AfterAll
    void stop() {
        unitWatchers.values().forEach(MqttWatcher::close);
        boxes.forEach(BoxProcess::stop);
        hub.stop();
        database.close();
    }

    @Test
    void presses_during_a_database_outage_are_dispatched_at_once_and_written_when_it_is_back() {
        List<BoxProcess> pressed = List.of(boxes.get(0), boxes.get(2), boxes.get(4));
        // members log in to the broker before the outage (their accounts are in the database)
        for (BoxProcess box : pressed) {
            String unit = hub.unitOf(box.endpoint);
            unitOfBox.put(box.endpoint, unit);
            unitWatchers.computeIfAbsent(unit, u -> {
                String member = hub.unit(u).path("members").get(0).path("id").asText();
                MqttWatcher watcher = new MqttWatcher(hub.mqttPort, member, hub.memberPassword(member));
                watcher.subscribe(Topics.alerts("houshan", u));
                return watcher;
            });
        }
        List<String> before = boxes.stream().filter(BoxProcess::sirenSounding).map(b -> b.endpoint).toList();
        assertEquals(List.of(), before, "no siren sounds before the first press");

        Instant down = Instant.now();
        database.stop();
        for (BoxProcess box : pressed) {
            box.press();
            MqttWatcher members = unitWatchers.get(unitOfBox.get(box.endpoint));
            members.await("the alert of " + box.endpoint + " reaches its unit during the outage", FAST,
                    m -> m.json().path("callbox").asText().equals(box.endpoint));
            Await.until(box.endpoint + " is told its call was received", FAST,
                    () -> box.state().path("callStatus").asText().equals("received"));
            if (box == pressed.get(0)) {
                Await.until("a siren of another box sounds (the hub commanded it)", FAST,
                        () -> boxes.stream().anyMatch(b -> b != box && b.sirenSounding()));
            }
            Await.holds(box.endpoint + " keeps its press: the hub has not stored it", Duration.ofSeconds(2),
                    () -> box.outbox() == 1);
            pause(Duration.ofSeconds(10));
        }
        pause(OUTAGE.minus(Duration.between(down, Instant.now())));
        database.start();

        for (BoxProcess box : pressed) {
            Await.until(box.endpoint + " hands its press over once the database is back", Duration.ofSeconds(90),
                    () -> box.outbox() == 0);
        }
        hub.kill();
        hub.start(); // a fresh hub knows only what is in the database
        for (BoxProcess box : pressed) {
            List<JsonNode> incidents = new ArrayList<>();
            hub.incidents().forEach(i -> {
                if (i.path("callbox").asText().equals(box.endpoint)) {
                    incidents.add(i);
                }
            });
            assertEquals(1, incidents.size(), box.endpoint + ": one incident written: " + incidents);
            assertEquals(1, incidents.get(0).path("presses").asInt(), box.endpoint + ": its press once");
            long primaryAlerts = unitWatchers.get(unitOfBox.get(box.endpoint)).received.stream()
                    .filter(m -> m.json().path("callbox").asText().equals(box.endpoint)).count();
            assertEquals(1, primaryAlerts, box.endpoint + ": its unit alerted once, not again on the resends");
        }
    }

    private static void pause(Duration duration) {
        if (duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
