package cn.callbox.hub.mqtt;

import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.AckReceiver;
import cn.callbox.protocol.mqtt.MemberAck;
import cn.callbox.protocol.mqtt.Topics;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a member's message on {@code callbox/<township>/units/<unit>/acks} into
 * {@link AckReceiver#acknowledged(String, String, String)}. The unit comes from the topic (the broker checked the
 * publisher may write there), never from the payload. Malformed payloads and foreign topics are logged at WARN and
 * ignored; nothing here throws. Runs on the MQTT callback thread.
 */
final class AckHandler implements HubMqttClient.MessageSink {

    private static final Logger LOG = LoggerFactory.getLogger(AckHandler.class);
    private static final int MAX_LOGGED_PAYLOAD = 200;

    private final String township;
    private final ObjectReader reader;
    private final Supplier<List<AckReceiver>> receivers;

    /**
     * @param receivers looked up at each message, so an absent or late receiver bean is fine
     */
    AckHandler(String township, JsonMapper json, Supplier<List<AckReceiver>> receivers) {
        this.township = township;
        this.reader = json.readerFor(MemberAck.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.receivers = receivers;
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        String unit = Topics.unitOf(township, topic);
        if (unit == null || !Topics.isValidLevel(unit) || !topic.equals(Topics.acks(township, unit))) {
            LOG.warn("Ignoring MQTT message on unexpected topic {}", topic);
            return;
        }
        MemberAck ack;
        try {
            ack = reader.readValue(payload);
        } catch (JacksonException e) {
            LOG.warn("Ignoring malformed ack on {}: {} ({})", topic, preview(payload), e.getOriginalMessage());
            return;
        }
        if (ack == null || isBlank(ack.incidentId()) || isBlank(ack.memberId())) {
            LOG.warn("Ignoring ack on {} without incidentId or memberId: {}", topic, preview(payload));
            return;
        }
        List<AckReceiver> targets = receivers.get();
        if (targets.isEmpty()) {
            LOG.warn("Ack of member {} for incident {} (unit {}) arrived but nothing takes acks", ack.memberId(),
                    ack.incidentId(), unit);
            return;
        }
        for (AckReceiver receiver : targets) {
            try {
                receiver.acknowledged(unit, ack.incidentId().trim(), ack.memberId().trim());
            } catch (RuntimeException e) {
                LOG.warn("Ack of member {} for incident {} (unit {}) failed", ack.memberId(), ack.incidentId(), unit, e);
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String preview(byte[] payload) {
        String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > MAX_LOGGED_PAYLOAD ? text.substring(0, MAX_LOGGED_PAYLOAD) + "…" : text;
    }
}
