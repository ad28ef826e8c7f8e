package cn.callbox.device.system;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServiceNotifier} that runs {@code systemd-notify}: Java 17 cannot send the Unix datagram of
 * {@code sd_notify(3)} itself. The child process inherits {@code NOTIFY_SOCKET}; because the message comes from a
 * child and not from the main process, the unit needs {@code NotifyAccess=all}. {@code systemd-notify} (systemd
 * 246 and later) waits until the service manager has read the message, so systemd still sees the sender as part of
 * the service. Thread-safe; each call starts one short-lived process.
 */
public final class SystemdNotify implements ServiceNotifier {

    static final long TIMEOUT_SECONDS = 5;

    private final String command;

    /** @param command the {@code systemd-notify} executable, by name (looked up on PATH) or path */
    public SystemdNotify(String command) {
        this.command = command;
    }

    public SystemdNotify() {
        this("systemd-notify");
    }

    @Override
    public void send(String... assignments) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(command);
        argv.addAll(List.of(assignments));
        Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(command + " interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " " + String.join(" ", assignments) + " exited with "
                    + process.exitValue());
        }
    }
}
