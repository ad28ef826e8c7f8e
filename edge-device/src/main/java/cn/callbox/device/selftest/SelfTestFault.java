package cn.callbox.device.selftest;

/**
 * A failed self-test check, reported to the hub as one instance of Device 3/0/11 Error Code. The codes are LwM2M's
 * device-specific range (16-32); the hub's {@code LeshanSelfTestCommand} reads the same numbers.
 */
public enum SelfTestFault {
    /**
     * The siren branch draws no current while its relay is driven (relay, fuse, wire or siren broken), or draws current
     * while the relay is released (contact stuck).
     */
    SIREN_RELAY(16),
    /** The amplifier draws no idle current (fuse, wire or amplifier broken), or far too much (a short). */
    LOUDSPEAKER(17),
    /** The locker's tamper loop is open. */
    TAMPER(18),
    /** A slot count is impossible (negative, or more items present than slots fitted). */
    SLOT_SENSOR(19),
    /** A current sensor does not answer on I2C or reads an impossible value (overflow, implausible supply voltage). */
    CURRENT_SENSOR(20),
    /** The speech chain fails: espeak-ng cannot render a text, or there is no sound card. */
    SPEECH(21);

    private final int code;

    SelfTestFault(int code) {
        this.code = code;
    }

    /** The Error Code value. */
    public int code() {
        return code;
    }
}
