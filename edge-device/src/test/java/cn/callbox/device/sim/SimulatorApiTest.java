package cn.callbox.device.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.device.CallBox;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.device.hardware.GpioBoard;
import cn.callbox.device.hardware.SimulatedFaults;
import cn.callbox.device.lwm2m.CallBoxClient;

/** The simulator's HTTP API on a simulated box whose hub is not reachable. */
class SimulatorApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newHttpClient();
    private CallBox box;
    private SimulatorApi api;

    @BeforeEach
    void start() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("endpoint", "cb-sim");
        // nothing listens there: the box stays unregistered and keeps its alarms
        properties.setProperty("hub.uri", "coaps://127.0.0.1:9");
        properties.setProperty("psk.identity", "cb-sim");
        properties.setProperty("psk.key", "000102030405060708090a0b0c0d0e0f");
        properties.setProperty("location.lat", "30.8");
        properties.setProperty("location.lon", "108.4");
        properties.setProperty("place", "模拟村");
        box = CallBox.create(DeviceConfigLoader.parse(properties, folder), GpioBoard.simulated(), Clock.systemUTC(),
                new CallBoxClient.Timing(Duration.ofSeconds(1), Duration.ofSeconds(1)), () -> {
                });
        box.start();
        api = SimulatorApi.start(box, 0);
    }

    @AfterEach
    void stop() {
        api.close();
        box.close();
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the state until {@code condition} holds (5 s at most). */
    private JsonNode stateWhere(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode state = state();
        while (!condition.test(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("state never matched: " + state);
            }
            TimeUnit.MILLISECONDS.sleep(20);
            state = state();
        }
        return state;
    }

    private JsonNode state() throws Exception {
        HttpResponse<String> response = call("GET", "/state");
        assertEquals(200, response.statusCode());
        return JSON.readTree(response.body());
    }

    @Test
    void state_has_exactly_the_contract_fields() throws Exception {
        JsonNode state = state();
        assertEquals(List.of("registered", "siren", "loudspeaker", "callStatus", "locker", "outbox", "enclosureOpen",
                "onMains"), iterable(state));
        assertEquals(List.of("sounding", "pattern"), iterable(state.get("siren")));
        assertEquals(List.of("playing", "lastText"), iterable(state.get("loudspeaker")));
        assertEquals(List.of("doorOpen", "items"), iterable(state.get("locker")));
        assertEquals(List.of("whistle", "baton", "helmet", "flashlight", "loudspeaker", "steel-fork", "shield"),
                iterable(state.get("locker").get("items")));
        assertFalse(state.get("registered").asBoolean());
        assertEquals("idle", state.get("callStatus").asText());
        assertTrue(state.get("loudspeaker").get("lastText").isNull());
        assertFalse(state.get("enclosureOpen").asBoolean(true));
        assertTrue(state.get("onMains").asBoolean(false));
    }

    @Test
    void enclosure_and_mains_calls_drive_the_tamper_switch_and_the_ac_ok_input() throws Exception {
        HttpResponse<String> opened = call("POST", "/enclosure/open");
        assertEquals(200, opened.statusCode(), opened.body());
        assertTrue(JSON.readTree(opened.body()).get("enclosureOpen").asBoolean());
        assertTrue(box.locker().tampered());

        HttpResponse<String> lost = call("POST", "/power/mains-lost");
        assertEquals(200, lost.statusCode(), lost.body());
        assertFalse(JSON.readTree(lost.body()).get("onMains").asBoolean(true));
        assertFalse(box.power().onMains());

        assertTrue(JSON.readTree(call("POST", "/enclosure/close").body()).get("enclosureOpen").asBoolean() == false);
        assertTrue(JSON.readTree(call("POST", "/power/mains-restored").body()).get("onMains").asBoolean());
        assertTrue(box.power().onMains());
        assertFalse(box.locker().tampered());

        assertEquals(405, call("GET", "/power/mains-lost").statusCode());
        assertEquals(404, call("POST", "/power/off").statusCode());
    }

    @Test
    void a_press_over_http_sounds_the_siren_and_fills_the_outbox() throws Exception {
        HttpResponse<String> press = call("POST", "/button/press");
        assertEquals(200, press.statusCode(), press.body());

        JsonNode state = state();
        assertTrue(state.get("siren").get("sounding").asBoolean());
        assertEquals("alarm", state.get("siren").get("pattern").asText());
        assertEquals("sending", state.get("callStatus").asText());
        assertTrue(state.get("loudspeaker").get("playing").asBoolean());
        assertTrue(state.get("loudspeaker").get("lastText").asText().startsWith("正在呼叫，请稍候"));
        assertEquals(1, state.get("outbox").asInt(), "unsent while the hub is unreachable");
    }

    @Test
    void locker_door_and_items_follow_the_switches() throws Exception {
        assertEquals(200, call("POST", "/locker/door/open").statusCode());
        assertEquals(200, call("POST", "/locker/items/steel-fork/take").statusCode());
        HttpResponse<String> empty = call("POST", "/locker/items/steel-fork/take");
        assertEquals(409, empty.statusCode());
        assertTrue(JSON.readTree(empty.body()).has("error"));

        // slot switches are debounced (200 ms): the count follows once the switch has held still
        JsonNode state = stateWhere(s -> s.get("locker").get("items").get("steel-fork").asInt() == 0);
        assertTrue(state.get("locker").get("doorOpen").asBoolean());

        assertEquals(200, call("POST", "/locker/items/steel-fork/return").statusCode());
        assertEquals(409, call("POST", "/locker/items/steel-fork/return").statusCode(), "slot already full");
        assertEquals(200, call("POST", "/locker/door/close").statusCode());
        state = stateWhere(s -> s.get("locker").get("items").get("steel-fork").asInt() == 1);
        assertFalse(state.get("locker").get("doorOpen").asBoolean());
    }

    @Test
    void a_part_broken_over_http_draws_no_current_until_repaired() throws Exception {
        HttpResponse<String> broken = call("POST", "/faults/siren");
        assertEquals(200, broken.statusCode(), broken.body());
        assertEquals("[\"siren\"]", JSON.readTree(broken.body()).get("faults").toString());
        assertTrue(box.simulatedFaults().isBroken(SimulatedFaults.Part.SIREN));
        assertEquals(200, call("POST", "/faults/loudspeaker").statusCode());

        HttpResponse<String> repaired = call("DELETE", "/faults/siren");
        assertEquals(200, repaired.statusCode());
        assertEquals("[\"loudspeaker\"]", JSON.readTree(repaired.body()).get("faults").toString());
        assertFalse(box.simulatedFaults().isBroken(SimulatedFaults.Part.SIREN));
        assertEquals(200, call("DELETE", "/faults/siren").statusCode(), "repairing a sound part changes nothing");

        assertEquals(404, call("POST", "/faults/lamp").statusCode());
        HttpResponse<String> wrong = call("GET", "/faults/siren");
        assertEquals(405, wrong.statusCode());
        assertEquals("POST, DELETE", wrong.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void bad_requests_get_clear_errors_and_the_box_carries_on() throws Exception {
        assertEquals(404, call("POST", "/locker/items/sword/take").statusCode());
        assertEquals(404, call("POST", "/locker/items/stab-vest/take").statusCode(), "no slots for it");
        assertEquals(404, call("GET", "/nothing").statusCode());
        HttpResponse<String> wrong = call("GET", "/button/press");
        assertEquals(405, wrong.statusCode());
        assertTrue(JSON.readTree(wrong.body()).get("error").asText().contains("POST"));
        assertEquals(405, call("POST", "/state").statusCode());
        assertEquals(200, call("GET", "/state").statusCode());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
