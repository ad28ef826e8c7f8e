package cn.callbox.systemtest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A jar run as its own process, output to a log file under target/e2e-logs. */
final class JavaProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;

    JavaProcess(String name, Path jar, List<String> jvmOptions, List<String> args) {
        this.name = name;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with mvn package first");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
        Path logs = Path.of(System.getProperty("callbox.logs", "target/e2e-logs"));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
    }

    JavaProcess start() {
        try {
            File out = log.toFile();
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int waitFor(long seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " still running after " + seconds + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    void stop() {
        end(false);
    }

    /** SIGKILL at once: a power cut. */
    void kill() {
        end(true);
    }

    private void end(boolean force) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            if (force) {
                process.destroyForcibly();
            } else {
                process.destroy();
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
