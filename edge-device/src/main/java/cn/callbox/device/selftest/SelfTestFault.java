package cn.callbox.device.selftest;

/**
 * A failed self-test check, reported to the hub as one instance of Device 3/0/11 Error Code. The codes are LwM2M's
 * device-specific range (16-32); the hub's {@code LeshanSelfTestCommand} reads the same numbers.
 */
public enum SelfTestFault {
    /** The siren driver did not take the test pattern (relay not driven). */
    SIREN_RELAY(16),
    /** The loudspeaker could not start the test clip (no clip, or the audio part failed). */
    LOUDSPEAKER(17),
    /** The locker's tamper loop is open. */
    TAMPER(18),
    /** A slot count is impossible (more items present than slots fitted). */
    SLOT_SENSOR(19);

    private final int code;

    SelfTestFault(int code) {
        this.code = code;
    }

    /** The Error Code value. */
    public int code() {
        return code;
    }
}
