package cn.callbox.provision;

/**
 * A command ends with this exit code after its message was printed on stderr. The message never holds a key or a
 * password.
 */
final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The hub refused or failed the request (its problem detail is printed). */
    static final int HUB_REFUSED = 1;
    /** Bad option, unreadable file, invalid input. */
    static final int USAGE = 2;
    /** The hub did not answer. */
    static final int HUB_UNREACHABLE = 3;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
