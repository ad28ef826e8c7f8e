package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/** Alarms are never lost: not when the hub is unreachable, not when the box loses power right after a press. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineDeliveryIT {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private HubProcess hub;
    private final List<BoxProcess> started = new ArrayList<>();

    @BeforeAll
    void start_hub() throws IOException {
        hub = new HubProcess(Files.createTempDirectory("callbox-offline-")).start();
    }

    @AfterAll
    void stop_all() {
        started.forEach(BoxProcess::stop);
        hub.stop();
    }

    @Test
    void a_box_cut_off_from_the_hub_delivers_its_presses_once_with_their_original_times() {
        BoxProcess box = startBox(0);
        hub.stop();

        Instant firstBefore = Instant.now();
        box.press();
        Instant firstAfter = Instant.now();
        Await.until("the first press is in the outbox", Duration.ofSeconds(5), () -> box.outbox() == 1);
        Instant secondBefore = Instant.now();
        box.press();
        Instant secondAfter = Instant.now();
        Await.until("both presses are in the outbox", Duration.ofSeconds(5), () -> box.outbox() == 2);

        hub.start();
        Await.until("the backlog is delivered", DELIVERY, () -> box.outbox() == 0);

        // the second press came while the first press's incident was open: it joins it, nobody is alerted twice
        List<JsonNode> incidents = incidentsOf(box.endpoint);
        assertEquals(1, incidents.size(), "two presses of one emergency, one incident: " + incidents);
        JsonNode incident = incidents.get(0);
        assertEquals(2, incident.path("presses").asInt(), "both presses counted: " + incident);
        assertWithin(Instant.parse(incident.path("raisedAt").asText()), firstBefore, firstAfter);
        assertWithin(Instant.parse(incident.path("pressTimes").get(0).asText()), firstBefore, firstAfter);
        assertWithin(Instant.parse(incident.path("pressTimes").get(1).asText()), secondBefore, secondAfter);
        Await.holds("no duplicate arrives later", Duration.ofSeconds(3),
                () -> incidentsOf(box.endpoint).size() == 1 && hub.incident(incident.path("id").asText())
                        .path("presses").asInt() == 2);
    }

    @Test
    void a_box_that_loses_power_after_a_press_neither_loses_nor_repeats_the_alarm() {
        BoxProcess box = startBox(1);
        box.press();
        box.kill();

        BoxProcess restarted = new BoxProcess(box.config).start();
        started.add(restarted);
        Await.until("the alarm is delivered after the restart", DELIVERY,
                () -> restarted.outbox() == 0 && incidentsOf(box.endpoint).size() == 1);
        Await.holds("the alarm is not repeated", Duration.ofSeconds(3), () -> incidentsOf(box.endpoint).size() == 1);

        // a press after the restart is a new press (the counter file and outbox survived), joining the open incident
        String incidentId = incidentsOf(box.endpoint).get(0).path("id").asText();
        restarted.press();
        Await.until("a new press is counted on the open incident", DELIVERY,
                () -> hub.incident(incidentId).path("presses").asInt() == 2);
        assertEquals(1, incidentsOf(box.endpoint).size(), "no second incident while the first is open");
    }

    private BoxProcess startBox(int index) {
        List<Path> configs = hub.boxConfigs();
        assertTrue(configs.size() > index, "demo box configs: " + configs);
        BoxProcess box = new BoxProcess(configs.get(index)).start();
        started.add(box);
        Await.until(box.endpoint + " online", DELIVERY, () -> hub.isOnline(box.endpoint));
        return box;
    }

    private List<JsonNode> incidentsOf(String endpoint) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode incident : hub.incidents()) {
            if (incident.path("callbox").asText().equals(endpoint)) {
                found.add(incident);
            }
        }
        return found;
    }

    /** Box and test share one clock; a SenML time may be whole seconds, so the lower bound is too. */
    private static void assertWithin(Instant actual, Instant from, Instant to) {
        assertTrue(!actual.isBefore(from.truncatedTo(ChronoUnit.SECONDS)) && !actual.isAfter(to.plusMillis(1)),
                "press time " + actual + " kept, expected within [" + from + ", " + to + "]");
    }
}
