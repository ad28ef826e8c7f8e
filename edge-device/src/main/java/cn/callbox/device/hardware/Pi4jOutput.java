package cn.callbox.device.hardware;

import com.pi4j.io.gpio.digital.DigitalOutput;

import cn.callbox.device.io.BinaryOutput;

/** An output pin, active high (the relay driver and the lamp transistor switch on with HIGH). */
final class Pi4jOutput implements BinaryOutput {

    private final DigitalOutput output;

    Pi4jOutput(DigitalOutput output) {
        this.output = output;
    }

    @Override
    public void set(boolean on) {
        if (on) {
            output.high();
        } else {
            output.low();
        }
    }

    @Override
    public boolean isOn() {
        return output.isHigh();
    }
}
