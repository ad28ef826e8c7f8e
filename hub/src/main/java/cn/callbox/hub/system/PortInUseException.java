package cn.callbox.hub.system;

import java.util.Objects;

/**
 * A port the hub must listen on is taken by another program (e.g. Mosquitto on 1883 when the embedded broker wants
 * it). Restarting cannot fix that: {@link StartupFailures} turns it into exit code {@value StartupFailures#PORT_IN_USE}
 * and one log line naming the port and the setting to change, and the Debian package's unit does not restart that
 * code.
 */
public final class PortInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int port;
    private final String property;

    /**
     * @param what who wanted the port, e.g. "the embedded MQTT broker"
     * @param protocol TCP or UDP
     * @param address the bind address, e.g. 127.0.0.1
     * @param property the setting that moves it, e.g. {@code callbox.mqtt.port}
     */
    public PortInUseException(String what, String protocol, String address, int port, String property,
            Throwable cause) {
        super(protocol + " port " + port + " on " + address + " for " + what + " is in use by another program: stop "
                + "that program or set " + property + " to a free port", cause);
        this.port = port;
        this.property = Objects.requireNonNull(property, "property");
    }

    /** A port in use that no part of the hub named (a bare {@link java.net.BindException}). */
    PortInUseException(java.net.BindException cause) {
        super("a port the hub needs is in use by another program (" + cause.getMessage() + "): see the lines above "
                + "for which part failed, then stop that program or change that part's port setting", cause);
        this.port = 0;
        this.property = "";
    }

    /** The port; 0 when not known. */
    public int port() {
        return port;
    }

    /** The setting that moves the port; "" when not known. */
    public String property() {
        return property;
    }
}
