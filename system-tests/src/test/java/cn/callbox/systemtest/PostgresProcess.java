package cn.callbox.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's PostgreSQL 15 as a server of the test's own, which the test can stop and start again on the same port
 * with the same data (a database outage): {@code initdb} into a temporary directory, {@code pg_ctl} on a free
 * loopback port, one database and role for the hub. As root (CI) the server tools run as {@code postgres}. Durability
 * settings stay as PostgreSQL ships them: the test is about what survives.
 */
final class PostgresProcess implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String PASSWORD = "hub-test-" + Long.toHexString(System.nanoTime());

    final int port = FreePorts.tcp();
    private final Path dir;
    private final boolean root = "root".equals(System.getProperty("user.name"));

    PostgresProcess() {
        try {
            dir = Files.createTempDirectory("callbox-pg-");
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, PASSWORD + "\n", StandardCharsets.UTF_8);
            run(BIN.resolve("initdb").toString(), "-D", data(), "-U", "postgres", "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
            Files.delete(pwfile);
            start();
            run(BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p",
                    String.valueOf(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c",
                    "CREATE ROLE hub LOGIN PASSWORD '" + PASSWORD + "'", "-c", "CREATE DATABASE callbox OWNER hub");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hub's settings for this database. */
    List<String> hubArgs() {
        return List.of("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/callbox",
                "--spring.datasource.username=hub", "--spring.datasource.password=" + PASSWORD);
    }

    /** Starts the server (again), on the same port with the same data. */
    void start() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data(), "-l", dir.resolve("postgres.log").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "-w", "-t", "60", "start");
    }

    /** Stops the server at once ({@code -m immediate}: like a crash, connections cut, no shutdown checkpoint). */
    void stop() {
        run(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "-t", "60", "stop");
    }

    @Override
    public void close() {
        try {
            run(BIN.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "-t", "60", "stop");
        } catch (RuntimeException e) {
            // already stopped
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left to the system
        }
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private void run(String... tool) {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(tool));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", PASSWORD);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
