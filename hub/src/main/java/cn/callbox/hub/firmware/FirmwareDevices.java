package cn.callbox.hub.firmware;

import java.util.Optional;

/**
 * What a roll-out needs of a call box over LwM2M (object 5 and 3/0/3), implemented in {@code cn.callbox.hub.lwm2m}.
 * Every call blocks for at most the LwM2M request timeout; a box that is not registered, or does not answer, gives
 * an empty result or {@code false} rather than an exception.
 */
public interface FirmwareDevices {

    /**
     * Object 5 and the running firmware version as the box reports them.
     *
     * @param state 5/0/3 code ({@link cn.callbox.protocol.lwm2m.FirmwareUpdateObject.State})
     * @param result 5/0/5 code ({@link cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result})
     * @param firmwareVersion 3/0/3
     */
    record Status(int state, int result, String firmwareVersion) {
    }

    /** Whether the box is registered now. */
    boolean online(String endpoint);

    /** Reads 5/0/3, 5/0/5 and 3/0/3; empty when the box is offline or does not answer. */
    Optional<Status> status(String endpoint);

    /** Writes 5/0/1; "" cancels a download. Whether the box accepted the write. */
    boolean writePackageUri(String endpoint, String uri);

    /** Executes 5/0/2. Whether the box accepted it. */
    boolean executeUpdate(String endpoint);
}
