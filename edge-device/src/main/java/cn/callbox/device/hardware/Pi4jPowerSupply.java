package cn.callbox.device.hardware;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;

import cn.callbox.device.power.PowerSupply;

/**
 * The AC-OK output of the charger or UPS on a pull-up input: the output conducts to ground while mains is there
 * (LOW = on mains). A cut wire or a dead power supply reads HIGH, as mains lost: the safe side, the township is told.
 */
final class Pi4jPowerSupply implements PowerSupply {

    private final List<MainsListener> listeners = new CopyOnWriteArrayList<>();
    private boolean onMains;

    Pi4jPowerSupply(DigitalInput acOk) {
        onMains = acOk.state() == DigitalState.LOW;
        acOk.addListener(event -> changed(event.state() == DigitalState.LOW));
        if (!onMains) {
            Logger.warn("Power supply: no mains (AC-OK open) at start");
        }
    }

    private void changed(boolean now) {
        synchronized (this) {
            if (now == onMains) {
                return;
            }
            onMains = now;
        }
        if (now) {
            Logger.info("Power supply: mains restored");
        } else {
            Logger.warn("Power supply: mains lost, running on battery");
        }
        listeners.forEach(listener -> listener.mainsChanged(now));
    }

    @Override
    public synchronized boolean onMains() {
        return onMains;
    }

    @Override
    public void addListener(MainsListener listener) {
        listeners.add(listener);
    }
}
