package cn.callbox.protocol.lwm2m;

/** Custom object 33004, what the hub has done with the box's last call (single instance). */
public final class CallStatusObject {
    public static final int ID = 33004;
    /** String: a {@link cn.callbox.protocol.CallState} wire name. */
    public static final int STATE = 0;
    /** String, the hub's incident id. */
    public static final int INCIDENT = 1;

    private CallStatusObject() {
    }
}
