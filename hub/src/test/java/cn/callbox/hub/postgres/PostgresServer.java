package cn.callbox.hub.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Debian's PostgreSQL 15 as a throw-away server for tests (STACK.md §9): {@code initdb} into a temporary directory,
 * {@code pg_ctl start} on a free loopback port with the Unix socket inside that directory, one database
 * ({@value #DATABASE}) owned by one role ({@value #USER}) with a random password; {@link #close()} runs
 * {@code pg_ctl stop -m fast} and deletes the directory.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root (CI), the directory is given to the
 * {@code postgres} user and the server tools run through {@code runuser -u postgres}. Durability is switched off
 * ({@code fsync}, {@code synchronous_commit}, {@code full_page_writes}): the data is thrown away anyway.
 *
 * <p>Tests get it through {@link PostgresExtension}, which starts one server per test run and stops it at the end.
 * Thread-safe once started; {@link #newSchema()} may be called from any thread.
 */
public final class PostgresServer implements AutoCloseable {

    /**
     * Where the server tools are: Debian's {@code postgresql-15} puts them in {@code /usr/lib/postgresql/15/bin};
     * system property {@code callbox.postgres.bin} points elsewhere.
     */
    public static final Path BIN = Path.of(System.getProperty("callbox.postgres.bin", "/usr/lib/postgresql/15/bin"));
    /** Set to {@code 1} to skip, rather than fail, the PostgreSQL tests on a machine without PostgreSQL. */
    public static final String SKIP_ENV = "CALLBOX_SKIP_POSTGRES";
    static final String DATABASE = "callbox";
    static final String USER = "callbox";
    private static final String HOST = "127.0.0.1";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final String adminPassword;
    private final String password;
    private final AtomicInteger schemas = new AtomicInteger();
    private volatile boolean stopped;

    private PostgresServer(Path dir, int port, String adminPassword, String password) {
        this.dir = dir;
        this.port = port;
        this.adminPassword = adminPassword;
        this.password = password;
    }

    /**
     * Fails the calling test with a message naming the Debian package when the server tools are missing, or skips
     * it when {@value #SKIP_ENV}{@code =1}.
     */
    public static void requireInstalled() {
        boolean installed = Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"))
                && Files.isExecutable(BIN.resolve("postgres"));
        if (installed) {
            return;
        }
        if ("1".equals(System.getenv(SKIP_ENV))) {
            Assumptions.abort("PostgreSQL 15 not installed and " + SKIP_ENV + "=1");
        }
        fail(BIN + " has no initdb/pg_ctl/postgres: install Debian's PostgreSQL 15 (apt-get install -y postgresql), "
                + "or set " + SKIP_ENV + "=1 to skip the PostgreSQL tests");
    }

    /** Initialises and starts a new server; the caller must {@link #close()} it. */
    static PostgresServer start() throws IOException, InterruptedException {
        requireInstalled();
        Path dir = Files.createTempDirectory("callbox-postgres-");
        try {
            boolean root = isRoot();
            if (root) {
                // the server runs as postgres and must own its data and socket directories
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
            }
            String adminPassword = randomSecret();
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, adminPassword + "\n", StandardCharsets.UTF_8);
            Path sockets = dir.resolve("sockets");
            runTool(root, dir, List.of("mkdir", "-m", "700", sockets.toString()));
            runTool(root, dir, List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", "postgres", "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8",
                    "--locale=C.UTF-8", "--no-sync"));
            Files.delete(pwfile);

            IOException lastFailure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                String options = "-p " + port + " -k " + sockets + " -c listen_addresses=" + HOST
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
                try {
                    runTool(root, dir, List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                            "-l", dir.resolve("postgres.log").toString(), "-o", options, "-w", "-t", "60", "start"));
                } catch (IOException e) {
                    // most likely someone took the port between freePort() and the bind: try another
                    lastFailure = e;
                    continue;
                }
                PostgresServer server = new PostgresServer(dir, port, adminPassword, randomSecret());
                // the server is a separate process: stop it even when the test JVM is told to quit early
                Runtime.getRuntime().addShutdownHook(new Thread(server::closeQuietly, "postgres-shutdown"));
                server.createDatabase();
                return server;
            }
            throw lastFailure;
        } catch (IOException | InterruptedException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The JDBC URL of database {@value #DATABASE}, for {@link #user()} and {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    /** The role that owns database {@value #DATABASE}; neither superuser nor allowed to create databases. */
    public String user() {
        return USER;
    }

    /** The role's password, random per server. */
    public String password() {
        return password;
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Database {@value #DATABASE} as {@link #user()}, in its default schema {@code public}. */
    public DataSource dataSource() {
        return dataSource(null);
    }

    /**
     * A new, empty schema in database {@value #DATABASE}, owned by {@link #user()}, and a data source whose
     * connections use it as their only schema: each test gets its own tables without the cost of a database each.
     */
    public DataSource newSchema() {
        String schema = "test_" + schemas.incrementAndGet();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + schema + " on " + jdbcUrl(), e);
        }
        return dataSource(schema);
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            runTool(isRoot(), dir, List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "stop", "-m", "fast", "-w", "-t", "60"));
        } finally {
            deleteTree(dir);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("Could not stop " + this + ": " + e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL 15 at " + jdbcUrl() + " (" + dir + ")";
    }

    private DataSource dataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] { HOST });
        ds.setPortNumbers(new int[] { port });
        ds.setDatabaseName(DATABASE);
        ds.setUser(USER);
        ds.setPassword(password);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    private void createDatabase() {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setServerNames(new String[] { HOST });
        admin.setPortNumbers(new int[] { port });
        admin.setDatabaseName("postgres");
        admin.setUser("postgres");
        admin.setPassword(adminPassword);
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            // the password is hex, so it needs no quoting beyond the literal's quotes
            statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER + " ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create role and database on port " + port, e);
        }
    }

    /** Runs a server tool, as postgres when we are root, and fails with its output when it does not exit 0. */
    private static void runTool(boolean root, Path dir, List<String> tool) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (root) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(tool);
        Path output = Files.createTempFile("callbox-postgres-tool-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TOOL_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output) + serverLog(dir));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String serverLog(Path dir) {
        Path log = dir.resolve("postgres.log");
        try {
            return Files.exists(log) ? "\npostgres.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "\n(postgres.log unreadable: " + e + ")";
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
