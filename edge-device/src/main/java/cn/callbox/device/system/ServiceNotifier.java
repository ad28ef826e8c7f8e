package cn.callbox.device.system;

import java.io.IOException;

/**
 * Tells the service manager about the firmware's state with {@code sd_notify(3)} assignments such as
 * {@code READY=1}, {@code WATCHDOG=1}, {@code STATUS=...} or {@code STOPPING=1}.
 */
public interface ServiceNotifier {

    /**
     * Sends the assignments as one message. Blocks until it is sent (at most a few seconds).
     *
     * @throws IOException when the message could not be sent; the caller logs it and carries on (a lost
     *         {@code WATCHDOG=1} is made up for by the next one)
     */
    void send(String... assignments) throws IOException;
}
