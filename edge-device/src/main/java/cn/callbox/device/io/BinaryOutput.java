package cn.callbox.device.io;

/**
 * One switched output line: the siren relay coil, the button lamp. Implementations are thread-safe; setting the
 * current state again is harmless.
 */
public interface BinaryOutput {

    void set(boolean on);

    boolean isOn();
}
