package cn.callbox.protocol.lwm2m;

import java.util.Arrays;
import java.util.Optional;

/**
 * OMA object 5, Firmware Update (version 1.1, from Leshan's bundled core models), as the call box serves it: pull
 * only (the hub writes a Package URI, the box downloads over HTTP or HTTPS), the package is a signed
 * {@link cn.callbox.protocol.firmware.FirmwarePackage}.
 */
public final class FirmwareUpdateObject {
    public static final int ID = 5;
    /** Opaque push delivery: not supported by the call box (writes are refused). */
    public static final int PACKAGE = 0;
    /** String: where the box downloads the package from ({@code http(s)://...}); writing "" cancels. */
    public static final int PACKAGE_URI = 1;
    /** Executable: install the downloaded package and restart into it. */
    public static final int UPDATE = 2;
    /** Integer: a {@link State} code. */
    public static final int STATE = 3;
    /** Integer: a {@link Result} code. */
    public static final int UPDATE_RESULT = 5;
    /** String: name from the downloaded package's manifest. */
    public static final int PKG_NAME = 6;
    /** String: version from the downloaded package's manifest. */
    public static final int PKG_VERSION = 7;
    /** Integer, multiple: 0 CoAP, 1 CoAPS, 2 HTTP 1.1, 3 HTTPS 1.1. */
    public static final int PROTOCOL_SUPPORT = 8;
    /** Integer: 0 pull only, 1 push only, 2 both. */
    public static final int DELIVERY_METHOD = 9;
    /** Executable: cancel a download (version 1.1). */
    public static final int CANCEL = 10;

    public static final int PROTOCOL_HTTP = 2;
    public static final int PROTOCOL_HTTPS = 3;
    public static final int DELIVERY_PULL_ONLY = 0;

    /** Resource 3. */
    public enum State {
        IDLE(0), DOWNLOADING(1), DOWNLOADED(2), UPDATING(3);

        private final int code;

        State(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Optional<State> of(long code) {
            return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
        }
    }

    /** Resource 5, as the specification numbers them. */
    public enum Result {
        INITIAL(0), SUCCESS(1), NOT_ENOUGH_STORAGE(2), OUT_OF_MEMORY(3), CONNECTION_LOST(4),
        INTEGRITY_CHECK_FAILED(5), UNSUPPORTED_PACKAGE(6), INVALID_URI(7), UPDATE_FAILED(8),
        UNSUPPORTED_PROTOCOL(9), CANCELLED(10);

        private final int code;

        Result(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** Whether this code ends an update attempt unsuccessfully. */
        public boolean failure() {
            return this != INITIAL && this != SUCCESS;
        }

        public static Optional<Result> of(long code) {
            return Arrays.stream(values()).filter(r -> r.code == code).findFirst();
        }
    }

    private FirmwareUpdateObject() {
    }
}
