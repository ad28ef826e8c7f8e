package cn.callbox.protocol.firmware;

/** A firmware package that must not be installed, and why. The message is for logs and operators (English). */
public final class FirmwarePackageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a package is refused. */
    public enum Reason {
        /** Not a package, truncated, or a header outside its limits. */
        MALFORMED,
        /** A format version or firmware name this reader does not install. */
        UNSUPPORTED,
        /** Not signed by any trusted key (or no key is trusted at all). */
        UNTRUSTED,
        /** The payload does not match the signed size or SHA-256. */
        INTEGRITY
    }

    private final Reason reason;

    public FirmwarePackageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
