package cn.callbox.device.call;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.announce.Loudspeaker;
import cn.callbox.device.announce.Messages;
import cn.callbox.device.lamp.Lamp;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SoundPriority;

/**
 * The box's call status (object 33004): set locally to {@code sending} on a press and by the hub afterwards. A new
 * state is shown on the lamp and said on the loudspeaker, at alarm priority: it is the alarm's own speech, which no
 * routine or drill announcement may cut into. Thread-safe.
 */
public final class CallStatus {

    private final Lamp lamp;
    private final Loudspeaker loudspeaker;
    private final Messages messages;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private CallState state = CallState.IDLE;
    private String incident = "";

    public CallStatus(Lamp lamp, Loudspeaker loudspeaker, Messages messages) {
        this.lamp = lamp;
        this.loudspeaker = loudspeaker;
        this.messages = messages;
        lamp.show(CallState.IDLE);
    }

    /** Moves to {@code next}: the lamp follows at once and the box says what the state means (nothing for idle). */
    public void change(CallState next) {
        synchronized (this) {
            Logger.info("Call status {} -> {}", state.wireName(), next.wireName());
            state = next;
            lamp.show(next);
        }
        messages.forCallState(next).ifPresent(text -> loudspeaker.announce(text, 1, SoundPriority.ALARM));
        listeners.forEach(Runnable::run);
    }

    /** Records the hub's incident id for the current call; empty clears it. */
    public void incident(String id) {
        synchronized (this) {
            incident = id == null ? "" : id;
        }
        listeners.forEach(Runnable::run);
    }

    public synchronized CallState state() {
        return state;
    }

    public synchronized String incident() {
        return incident;
    }

    /** Called (on the changing thread) after state or incident changed. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }
}
