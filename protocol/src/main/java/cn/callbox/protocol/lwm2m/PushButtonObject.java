package cn.callbox.protocol.lwm2m;

/** IPSO 3347 Push Button; instance {@link #PANIC_INSTANCE} is the panic button. */
public final class PushButtonObject {
    public static final int ID = 3347;
    public static final int PANIC_INSTANCE = 0;
    /** Boolean, true while pressed. Sent with every alarm record. */
    public static final int STATE = 5500;
    /** Integer press counter: the box's alarm sequence number, persisted across reboots. */
    public static final int COUNTER = 5501;
    /** String, {@code panic} on a call box. */
    public static final int APPLICATION_TYPE = 5750;
    public static final String PANIC_APPLICATION = "panic";

    private PushButtonObject() {
    }
}
