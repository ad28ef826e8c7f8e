package cn.callbox.device.lwm2m;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.function.Supplier;

import org.eclipse.leshan.client.send.DataSender;
import org.eclipse.leshan.client.send.DataSenderManager;
import org.eclipse.leshan.client.servers.LwM2mServer;
import org.eclipse.leshan.core.ResponseCode;
import org.eclipse.leshan.core.node.LwM2mPath;
import org.eclipse.leshan.core.node.LwM2mSingleResource;
import org.eclipse.leshan.core.node.TimestampedLwM2mNodes;
import org.eclipse.leshan.core.request.ContentFormat;
import org.eclipse.leshan.core.response.SendResponse;
import org.tinylog.Logger;

import cn.callbox.device.alarm.AlarmRecord;
import cn.callbox.device.alarm.AlarmTransport;
import cn.callbox.protocol.lwm2m.PushButtonObject;

/**
 * Sends alarm records with LwM2M Send as SenML-CBOR, time-stamped at the press time: /3347/0/5501 = sequence and
 * /3347/0/5500 = true. Leshan's own senders only send current values, hence this {@link DataSender}, which builds
 * the {@link TimestampedLwM2mNodes} itself. A record counts as delivered only on a CHANGED answer.
 */
final class AlarmDataSender implements DataSender, AlarmTransport {

    static final String NAME = "callbox-alarms";
    static final LwM2mPath COUNTER = new LwM2mPath(PushButtonObject.ID, PushButtonObject.PANIC_INSTANCE,
            PushButtonObject.COUNTER);
    static final LwM2mPath STATE = new LwM2mPath(PushButtonObject.ID, PushButtonObject.PANIC_INSTANCE,
            PushButtonObject.STATE);

    private final Duration timeout;
    private volatile DataSenderManager manager;
    private volatile Supplier<Iterator<LwM2mServer>> servers = () -> java.util.Collections.emptyIterator();
    private volatile Runnable onUnanswered = () -> {
    };
    private volatile Runnable onRefused = () -> {
    };

    /** @param timeout how long one Send waits for the hub's answer */
    AlarmDataSender(Duration timeout) {
        this.timeout = timeout;
    }

    /** Where to find the servers the client is registered with (set once the client exists). */
    void registeredServers(Supplier<Iterator<LwM2mServer>> servers) {
        this.servers = servers;
    }

    /**
     * What to do when the hub did not answer a Send (or it could not be sent): the hub may have restarted and lost the
     * box's DTLS session, which the box cannot tell from a lost packet. Called on the outbox's delivery thread; must
     * not block.
     */
    void onUnanswered(Runnable action) {
        this.onUnanswered = action;
    }

    /**
     * What to do when the hub refused a Send with a 4.xx code ("no registration found" after a hub restart): the
     * session works, the registration is gone. A 5.xx (the hub cannot record now) is neither: the outbox just retries.
     * Called on the outbox's delivery thread; must not block.
     */
    void onRefused(Runnable action) {
        this.onRefused = action;
    }

    @Override
    public void setDataSenderManager(DataSenderManager manager) {
        this.manager = manager;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean isReady() {
        return manager != null && servers.get().hasNext();
    }

    /**
     * The nodes of one alarm record, stamped with the press time (milliseconds; the client encodes SenML times as
     * plain numbers, see {@link NumericTimeSenMLCborEncoder}).
     */
    static TimestampedLwM2mNodes nodes(AlarmRecord record) {
        Instant at = record.pressedAt();
        return TimestampedLwM2mNodes.builder()
                .put(at, COUNTER, LwM2mSingleResource.newIntegerResource(PushButtonObject.COUNTER, record.sequence()))
                .put(at, STATE, LwM2mSingleResource.newBooleanResource(PushButtonObject.STATE, true))
                .build();
    }

    @Override
    public boolean send(AlarmRecord record) throws InterruptedException {
        Iterator<LwM2mServer> registered = servers.get();
        DataSenderManager current = manager;
        if (current == null || !registered.hasNext()) {
            return false;
        }
        LwM2mServer server = registered.next();
        SendResponse response;
        try {
            response = current.sendData(server, ContentFormat.SENML_CBOR, nodes(record), timeout.toMillis());
        } catch (RuntimeException e) {
            // Leshan throws for timeouts and transport errors: all mean "try again later"
            Logger.warn("Send of alarm #{} failed: {}", record.sequence(), e.toString());
            onUnanswered.run();
            return false;
        }
        if (response == null) {
            Logger.warn("Send of alarm #{} timed out after {} ms", record.sequence(), timeout.toMillis());
            onUnanswered.run();
            return false;
        }
        if (response.getCode() != ResponseCode.CHANGED) {
            Logger.warn("Send of alarm #{} answered {} {}", record.sequence(), response.getCode(),
                    response.getErrorMessage());
            if (response.getCode().isClientError()) {
                onRefused.run();
            }
            return false;
        }
        return true;
    }
}
