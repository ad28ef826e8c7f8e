package cn.callbox.device.panic;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.alarm.AlarmRecord;
import cn.callbox.device.alarm.Outbox;
import cn.callbox.device.alarm.OutboxDelivery;
import cn.callbox.device.alarm.PressCounter;
import cn.callbox.device.call.CallStatus;
import cn.callbox.device.siren.Siren;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;

/**
 * What the box does on a press, without waiting for the hub: first the alarm record is made durable (press counter,
 * then outbox), then the box's own siren sounds, the call status becomes {@code sending} (lamp and announcement) and
 * delivery to the hub is woken. A storage failure is logged and does not stop the local response.
 */
public final class PanicResponder implements PanicButton.PressListener {

    private final PressCounter counter;
    private final Outbox outbox;
    private final OutboxDelivery delivery;
    private final Siren siren;
    private final CallStatus callStatus;
    private final Duration sirenDuration;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public PanicResponder(PressCounter counter, Outbox outbox, OutboxDelivery delivery, Siren siren,
            CallStatus callStatus, Duration sirenDuration) {
        this.counter = counter;
        this.outbox = outbox;
        this.delivery = delivery;
        this.siren = siren;
        this.callStatus = callStatus;
        this.sirenDuration = sirenDuration;
    }

    @Override
    public void pressed(Instant at) {
        try {
            record(at);
        } finally {
            siren.start(SirenPattern.ALARM, sirenDuration);
            callStatus.change(CallState.SENDING);
            delivery.wake();
            listeners.forEach(Runnable::run);
        }
    }

    private void record(Instant at) {
        long sequence;
        try {
            sequence = counter.next();
        } catch (IOException e) {
            Logger.error("PANIC PRESS at {} could not be numbered (press counter not writable: {}); the siren still "
                    + "sounds but the hub will not hear of this press", at, e.getMessage());
            return;
        }
        try {
            outbox.add(new AlarmRecord(sequence, at));
        } catch (IOException e) {
            Logger.error("PANIC PRESS #{} at {} could not be stored in the outbox: {}", sequence, at, e.getMessage());
        }
    }

    /** Called after each press was handled (on the pressing thread), e.g. to push 3347/0/5501 to the hub. */
    public void onHandled(Runnable listener) {
        listeners.add(listener);
    }
}
