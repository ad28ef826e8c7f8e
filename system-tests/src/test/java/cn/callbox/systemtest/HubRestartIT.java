package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The hub restarts three times (twice stopped, once killed) under five running boxes: each box registers exactly once
 * with each new hub instance and then keeps to its heartbeat UPDATEs (no registration storm), and an alarm pressed
 * while the hub is down arrives after the restart. Registrations are counted from the hub's log
 * ({@code Call box <endpoint> registered from ...}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubRestartIT {

    private static final Duration BACK = Duration.ofSeconds(150);
    /** Two heartbeats (20 s) and more: a box in a storm re-registers several times per heartbeat. */
    private static final Duration WATCH = Duration.ofSeconds(45);
    private static final Pattern REGISTERED = Pattern.compile("Call box (\\S+) registered from");

    private HubProcess hub;
    private final List<BoxProcess> boxes = new ArrayList<>();

    @BeforeAll
    void start_hub_and_boxes() throws IOException {
        hub = new HubProcess(Files.createTempDirectory("callbox-restart-")).start();
        List<Path> configs = hub.boxConfigs();
        assertTrue(configs.size() >= 5, "demo box configs: " + configs);
        for (Path config : configs.subList(0, 5)) {
            boxes.add(new BoxProcess(config).start());
        }
        for (BoxProcess box : boxes) {
            Await.until(box.endpoint + " online", BACK, () -> hub.isOnline(box.endpoint));
        }
    }

    @AfterAll
    void stop_all() {
        boxes.forEach(BoxProcess::stop);
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void three_hub_restarts_each_box_registers_once_per_restart_and_an_alarm_pressed_meanwhile_arrives() {
        for (int restart = 1; restart <= 3; restart++) {
            if (restart == 2) {
                hub.kill(); // a crash: no deregistration, nothing flushed
            } else {
                hub.stop();
            }
            BoxProcess presser = boxes.get(restart - 1);
            presser.press();
            Await.until("the press is in " + presser.endpoint + "'s outbox", Duration.ofSeconds(5),
                    () -> presser.outbox() == 1);

            hub.start();
            Await.until("every box online again and the alarm delivered (restart " + restart + ")", BACK,
                    () -> boxes.stream().allMatch(box -> hub.isOnline(box.endpoint)) && presser.outbox() == 0);
            assertTrue(incidentsOf(presser.endpoint) >= 1, "the alarm pressed while the hub was down is recorded");

            Map<String, Integer> once = new LinkedHashMap<>();
            boxes.forEach(box -> once.put(box.endpoint, 1));
            // looked at every 5 s: the log is read whole each time
            long end = System.nanoTime() + WATCH.toNanos();
            while (System.nanoTime() < end) {
                assertEquals(once, registrationsPerBox(), "registrations per box with hub instance " + (restart + 1));
                Await.holds("the hub runs", Duration.ofSeconds(5), () -> true);
            }
            assertEquals(once, registrationsPerBox(), "registrations per box with hub instance " + (restart + 1));
        }
    }

    /** REGISTERs logged by the hub instance running now, per box (the five of this test). */
    private Map<String, Integer> registrationsPerBox() {
        Map<String, Integer> counted = new LinkedHashMap<>();
        boxes.forEach(box -> counted.put(box.endpoint, 0));
        Matcher matcher = REGISTERED.matcher(hub.currentLog());
        while (matcher.find()) {
            counted.computeIfPresent(matcher.group(1), (endpoint, n) -> n + 1);
        }
        return counted;
    }

    private int incidentsOf(String endpoint) {
        int found = 0;
        for (JsonNode incident : hub.incidents()) {
            if (incident.path("callbox").asText().equals(endpoint)) {
                found++;
            }
        }
        return found;
    }
}
