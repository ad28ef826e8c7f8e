package cn.callbox.provision;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Runs {@code callbox-provision} in-process with a repeatable random source and a fixed clock (2026-11-29), and
 * keeps what it printed.
 */
final class Cli {

    /** A random source that gives the same bytes every run: bytes 1, 2, 3... */
    static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private int next = 1;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) next++;
            }
        }
    }

    int exitCode;
    String out;
    String err;

    static Cli run(String... args) {
        return run(new FixedRandom(), args);
    }

    static Cli run(SecureRandom random, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out, true), new PrintWriter(err, true), random,
                Clock.fixed(Instant.parse("2026-11-29T08:00:00Z"), ZoneOffset.UTC), Duration.ofSeconds(5));
        Cli cli = new Cli();
        cli.exitCode = new ProvisionMain(context).run(args);
        cli.out = out.toString();
        cli.err = err.toString();
        return cli;
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    String lastLine() {
        List<String> lines = outLines();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
