package cn.callbox.hub.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.callbox.hub.incident.AckReceiver;
import cn.callbox.hub.mqtt.TestClients.Ack;
import tools.jackson.databind.json.JsonMapper;

class AckHandlerTest {

    private final List<Ack> received = new ArrayList<>();
    private final AckReceiver recorder = (unit, incident, member) -> received.add(new Ack(unit, incident, member));
    private final AckHandler handler = new AckHandler("houshan", JsonMapper.builder().build(), () -> List.of(recorder));

    private void arrive(String topic, String payload) {
        handler.messageArrived(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_unit_comes_from_the_topic_not_from_the_payload() {
        arrive("callbox/houshan/units/u1/acks", "{\"incidentId\":\"i-1\",\"memberId\":\"m-1\",\"unitId\":\"u9\"}");
        assertEquals(List.of(new Ack("u1", "i-1", "m-1")), received);
    }

    @Test
    void malformed_payloads_and_foreign_topics_are_ignored_without_throwing() {
        arrive("callbox/houshan/units/u1/acks", "");
        arrive("callbox/houshan/units/u1/acks", "[1,2]");
        arrive("callbox/houshan/units/u1/acks", "null");
        arrive("callbox/houshan/units/u1/acks", "{\"incidentId\":\" \",\"memberId\":\"m\"}");
        arrive("callbox/houshan/units/u1/acks", "{\"incidentId\":5,\"memberId\":{}}");
        arrive("callbox/houshan/units/u1/alerts", "{\"incidentId\":\"i\",\"memberId\":\"m\"}");
        arrive("callbox/other/units/u1/acks", "{\"incidentId\":\"i\",\"memberId\":\"m\"}");
        arrive("callbox/houshan/units/u1/acks/x", "{\"incidentId\":\"i\",\"memberId\":\"m\"}");
        assertTrue(received.isEmpty(), received.toString());
    }

    @Test
    void a_failing_receiver_does_not_stop_the_others() {
        AckReceiver failing = (unit, incident, member) -> {
            throw new IllegalStateException("database down");
        };
        AckHandler both = new AckHandler("houshan", JsonMapper.builder().build(), () -> List.of(failing, recorder));
        both.messageArrived("callbox/houshan/units/u2/acks",
                "{\"incidentId\":\"i-2\",\"memberId\":\"m-2\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Ack("u2", "i-2", "m-2")), received);
    }
}
