package cn.callbox.hub.lwm2m;

import java.util.List;
import java.util.Objects;

import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.endpoint.EndpointUri;
import org.eclipse.leshan.core.peer.LwM2mPeer;
import org.eclipse.leshan.core.request.SendRequest;
import org.eclipse.leshan.core.response.SendResponse;
import org.eclipse.leshan.core.response.SendableResponse;
import org.eclipse.leshan.server.registration.Registration;
import org.eclipse.leshan.server.registration.RegistrationStore;
import org.eclipse.leshan.server.security.Authorizer;
import org.eclipse.leshan.server.send.SendHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.incident.AlarmNotStoredException;
import cn.callbox.hub.incident.AlarmReceiver;
import cn.callbox.hub.incident.AlarmRecord;
import cn.callbox.hub.incident.UnknownCallBoxException;

/**
 * Leshan's Send handling, changed so that a box's alarm is acknowledged only once the hub has recorded it.
 * <p>
 * Why: Leshan M18 answers a Send first and tells its {@code SendListener}s afterwards (the CoAP {@code SendResource}
 * responds, then runs {@code SendableResponse.sent()}, which fires the listeners). A listener that failed would leave
 * the box believing its alarm arrived, and the box would drop it from its outbox. Here the alarms in a valid Send are
 * handed to {@link AlarmReceiver#receive} <em>before</em> the response is built: the box gets 2.04 Changed only when
 * every alarm of the Send was durably recorded, and 5.00 otherwise, so it keeps the records and sends them again
 * (the receiver is idempotent on endpoint + sequence + press time, so the alarms recorded before a failure are not
 * doubled, and an alarm dispatched while the database was down is not dispatched again).
 * <p>
 * The alarm receiver is bound after construction ({@link #bind}) because Leshan creates this handler inside the
 * {@code LeshanServer} constructor; until then every Send is refused with 5.00 (and retried by the box). Runs on
 * CoAP server threads; thread-safe.
 */
final class AlarmSendHandler extends SendHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmSendHandler.class);

    private volatile Binding binding;

    AlarmSendHandler(RegistrationStore registrationStore, Authorizer authorizer, boolean updateRegistrationOnSend) {
        super(registrationStore, authorizer, updateRegistrationOnSend);
    }

    /** Sets where alarms go. Call once, before start. */
    void bind(AlarmReceiver receiver) {
        this.binding = new Binding(Objects.requireNonNull(receiver, "receiver"));
    }

    @Override
    public SendableResponse<SendResponse> handleSend(LwM2mPeer sender, Registration registration,
            SendRequest request, EndpointUri serverEndpointUri) {
        SendableResponse<SendResponse> response = super.handleSend(sender, registration, request, serverEndpointUri);
        if (!response.getResponse().isSuccess()) {
            return response;
        }
        String endpoint = registration.getEndpoint();
        Binding current = binding;
        if (current == null) {
            LOG.error("Refused a Send from {}: the alarm receiver is not bound yet; the box will send it again",
                    endpoint);
            return errorReponse(registration, ResponseCode.INTERNAL_SERVER_ERROR, "hub not ready", null);
        }
        List<AlarmRecord> alarms;
        try {
            alarms = AlarmExtractor.alarms(endpoint, request.getTimestampedNodes());
        } catch (IllegalArgumentException e) {
            LOG.warn("Refused a Send from {}: {}", endpoint, e.getMessage());
            return errorReponse(registration, ResponseCode.BAD_REQUEST, e.getMessage(), e);
        }
        for (AlarmRecord alarm : alarms) {
            try {
                String incidentId = current.receiver.receive(alarm);
                LOG.info("Alarm {} of {} pressed at {} recorded as incident {}", alarm.sequence(), endpoint,
                        alarm.pressedAt(), incidentId);
            } catch (AlarmNotStoredException e) {
                LOG.warn("Alarm {} of {} dispatched but not stored yet ({}); answered 5.00 so that the box keeps it "
                        + "and sends it again", alarm.sequence(), endpoint, e.getMessage());
                return errorReponse(registration, ResponseCode.INTERNAL_SERVER_ERROR, "alarm not stored yet", null);
            } catch (UnknownCallBoxException e) {
                LOG.error("Alarm {} of {} not recorded: the box has a key but is not in the registry; "
                        + "answered 5.00 so that the box keeps it", alarm.sequence(), endpoint);
                return errorReponse(registration, ResponseCode.INTERNAL_SERVER_ERROR, "unknown call box", e);
            } catch (RuntimeException e) {
                LOG.error("Alarm {} of {} not recorded; answered 5.00 so that the box sends it again",
                        alarm.sequence(), endpoint, e);
                return errorReponse(registration, ResponseCode.INTERNAL_SERVER_ERROR, "alarm not recorded", e);
            }
        }
        return response;
    }

    /** Leshan reports undecodable or unauthorised Sends here; the box has been answered with an error already. */
    @Override
    public void onError(Registration registration, String errorMessage, Exception error) {
        LOG.warn("Refused a Send from {}: {}", registration == null ? "?" : registration.getEndpoint(), errorMessage,
                error);
        super.onError(registration, errorMessage, error);
    }

    private record Binding(AlarmReceiver receiver) {
    }
}
