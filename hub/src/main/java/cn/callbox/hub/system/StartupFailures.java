package cn.callbox.hub.system;

import java.net.BindException;
import java.util.Optional;

/**
 * Tells a start failure restarting cannot fix from one it may: a port in use is exit code {@value #PORT_IN_USE}
 * (EX_CONFIG of sysexits.h), which the Debian package's unit lists in {@code RestartPreventExitStatus=}, so the hub
 * stops with one clear line in the journal instead of restarting in a loop. Whatever port it is: the embedded MQTT
 * broker's ({@code callbox.mqtt.port}), the LwM2M server's ({@code callbox.lwm2m.port}, UDP) or the console's
 * ({@code server.port}, which Spring Boot reports with its own exception). Stateless.
 */
public final class StartupFailures {

    /** Exit code of a hub that cannot start because a port it needs is taken. */
    public static final int PORT_IN_USE = 78;

    private StartupFailures() {
    }

    /** The port in use behind a start failure, when that is what it was. */
    public static Optional<PortInUseException> portInUse(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PortInUseException taken) {
                return Optional.of(taken);
            }
            if (cause instanceof org.springframework.boot.web.server.PortInUseException web) {
                return Optional.of(new PortInUseException("the console and API", "TCP", "its address", web.getPort(),
                        "server.port", web));
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof BindException bind) {
                // a port nobody here named: still a port in use, still not fixed by restarting
                return Optional.of(new PortInUseException(bind));
            }
        }
        return Optional.empty();
    }
}
