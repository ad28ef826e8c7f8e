package cn.callbox.device.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

/**
 * Asks the modem for its signal strength by running a shell command ({@code sh -c}) that prints it in dBm; the first
 * number of its output counts. With ModemManager, for example:
 * {@code mmcli -m any --signal-get --output-keyvalue | grep -m1 'rssi'} (after {@code mmcli -m any --signal-setup=60}),
 * or a site script that sends {@code AT+CSQ} and prints {@code -113 + 2 * rssi}.
 * <p>
 * A command that fails, prints no number or takes longer than the timeout gives no value (and is killed). Thread-safe;
 * concurrent calls each run the command.
 */
public final class CommandSignalMeter implements SignalMeter {

    private final String command;
    private final Duration timeout;
    private volatile boolean warned;

    public CommandSignalMeter(String command, Duration timeout) {
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public OptionalInt dbm() {
        Process process = null;
        try {
            process = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            InputStream out = process.getInputStream();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                warnOnce("took longer than " + timeout.toMillis() + " ms");
                return OptionalInt.empty();
            }
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                warnOnce("failed with exit code " + process.exitValue() + ": " + text.strip());
                return OptionalInt.empty();
            }
            OptionalInt value = Numbers.firstWholeNumber(text);
            if (value.isEmpty()) {
                warnOnce("printed no number: " + text.strip());
            } else {
                warned = false;
            }
            return value;
        } catch (IOException e) {
            warnOnce("cannot run: " + e.getMessage());
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } finally {
            if (process != null && process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private void warnOnce(String problem) {
        if (!warned) {
            warned = true;
            Logger.warn("Modem signal command '{}' {}", command, problem);
        }
    }

    @Override
    public String toString() {
        return "modem signal from '" + command + "'";
    }
}
