package cn.callbox.device.lamp;

import cn.callbox.protocol.CallState;

/**
 * The lamp in the panic button, showing the call status: {@code sending} fast blink, {@code received} slow blink,
 * {@code acknowledged} and {@code responding} steady, {@code idle} off. Thread-safe.
 */
public interface Lamp {

    void show(CallState state);

    CallState showing();
}
