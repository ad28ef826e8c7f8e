package cn.callbox.device.config;

/** A configuration file that cannot be used; {@link #getMessage()} is one line naming the key and the problem. */
public final class ConfigException extends Exception {

    private final String key;

    ConfigException(String key, String problem) {
        super(key == null ? problem : key + ": " + problem);
        this.key = key;
    }

    /** The offending key, or null when the file as a whole is the problem (missing, unreadable). */
    public String key() {
        return key;
    }

    /** A command line that cannot be used; the message is one line. */
    public static final class Usage extends Exception {
        public Usage(String message) {
            super(message);
        }
    }
}
