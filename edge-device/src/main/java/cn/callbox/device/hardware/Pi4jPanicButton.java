package cn.callbox.device.hardware;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

import cn.callbox.device.panic.PanicButton;

/**
 * The panic button on a pull-down input (HIGH while pressed). gpiod debounces in the kernel, but the mock provider and
 * a bouncing contact after the kernel window can still deliver a second rising edge: an edge within the debounce
 * window of the last accepted press is ignored here too, measured on the injected clock.
 */
final class Pi4jPanicButton implements PanicButton {

    private final DigitalInput input;
    private final Duration debounce;
    private final Clock clock;
    private final List<PressListener> listeners = new CopyOnWriteArrayList<>();
    private Instant lastAccepted;

    Pi4jPanicButton(DigitalInput input, Duration debounce, Clock clock) {
        this.input = input;
        this.debounce = debounce;
        this.clock = clock;
        input.addListener(event -> {
            if (event.state() == DigitalState.HIGH) {
                rising();
            }
        });
    }

    private void rising() {
        Instant now = clock.instant();
        synchronized (this) {
            if (lastAccepted != null && Duration.between(lastAccepted, now).compareTo(debounce) < 0) {
                Logger.debug("Panic button bounce ignored");
                return;
            }
            lastAccepted = now;
        }
        Logger.info("Panic button pressed");
        for (PressListener listener : listeners) {
            try {
                listener.pressed(now);
            } catch (RuntimeException e) {
                Logger.error(e, "Press listener failed");
            }
        }
    }

    @Override
    public void onPress(PressListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean isPressed() {
        return input.isHigh();
    }
}
