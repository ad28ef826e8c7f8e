package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hub is killed ({@code kill -9}) in the middle of bursts of presses at every box, three times, and started
 * again: every press a box had handed over is recorded, none twice. Each box keeps a press in its outbox until the
 * hub answers that it is stored, so the count of presses recorded per box must equal the presses made there, with
 * as many distinct press times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledHubIT {

    private static final Duration DELIVERY = Duration.ofSeconds(120);

    private HubProcess hub;
    private final List<BoxProcess> boxes = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        hub = new HubProcess(Files.createTempDirectory("callbox-killed-")).start();
        for (var config : hub.boxConfigs()) {
            boxes.add(new BoxProcess(config).start());
        }
        for (BoxProcess box : boxes) {
            Await.until(box.endpoint + " online", DELIVERY, () -> hub.isOnline(box.endpoint));
        }
    }

    @AfterAll
    void stop() {
        boxes.forEach(BoxProcess::stop);
        hub.stop();
    }

    @Test
    void every_press_survives_kill_9_of_the_hub_during_a_burst_and_none_is_recorded_twice() throws Exception {
        Map<String, Integer> made = new LinkedHashMap<>();
        Random random = new Random(10);
        for (int round = 0; round < 3; round++) {
            Thread presser = new Thread(() -> {
                for (int k = 0; k < 4; k++) {
                    for (BoxProcess box : boxes) {
                        box.press();
                        made.merge(box.endpoint, 1, Integer::sum);
                        pause(60);
                    }
                }
            }, "presser");
            presser.start();
            pause(300 + random.nextInt(900)); // somewhere inside the burst
            hub.kill();
            presser.join();
            hub.start();
        }

        for (BoxProcess box : boxes) {
            Await.until(box.endpoint + " handed over every press", DELIVERY, () -> box.outbox() == 0);
        }
        for (BoxProcess box : boxes) {
            int recorded = 0;
            Set<String> times = new HashSet<>();
            for (JsonNode incident : hub.incidents()) {
                if (incident.path("callbox").asText().equals(box.endpoint)) {
                    recorded += incident.path("presses").asInt();
                    incident.path("pressTimes").forEach(t -> times.add(t.asText()));
                }
            }
            assertEquals(made.get(box.endpoint), recorded, box.endpoint + ": presses made vs recorded");
            assertEquals(recorded, times.size(), box.endpoint + ": a press recorded twice");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
