package cn.callbox.hub.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An incident the store has written survives the hub being killed ({@code kill -9}) at once after the write, on the
 * hub's default database (H2 in files, with the hub's URL settings). A child JVM holds one open connection, as the
 * hub's pool does (H2 writes everything when its last connection closes, which would hide the loss), writes an
 * incident, says so, and is killed with SIGKILL the moment the test reads that line.
 */
class KilledHubDurabilityTest {

    /** The hub's default H2 settings (application.properties), on a folder of the test's. */
    static String url(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("db/callbox")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE";
    }

    @Test
    void incidents_written_just_before_a_kill_9_are_in_the_database_after_it(@TempDir Path folder) throws Exception {
        SingleConnectionDataSource migrate = new SingleConnectionDataSource(url(folder), "sa", "", false);
        Fakes.migrated(migrate);
        migrate.destroy();

        List<String> written = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            written.add(writeAndGetKilled(folder, round));
        }

        try (Connection c = DriverManager.getConnection(url(folder), "sa", "")) {
            List<String> stored = JdbcClient.create(new SingleConnectionDataSource(c, true))
                    .sql("SELECT id FROM incident ORDER BY id").query(String.class).list();
            assertThat(stored).containsExactlyInAnyOrderElementsOf(written);
        }
    }

    private static String writeAndGetKilled(Path folder, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                url(folder), Integer.toString(round)).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("written ")) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, like kill -9
                    child.waitFor(10, TimeUnit.SECONDS);
                    return line.substring("written ".length());
                }
            }
        } finally {
            child.destroyForcibly();
        }
        throw new AssertionError("the child JVM ended without writing (exit " + child.waitFor() + ")");
    }

    /** The child: one open connection, one incident written through the hub's store, then wait to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            SingleConnectionDataSource ds = new SingleConnectionDataSource(args[0], "sa", "", true);
            JdbcIncidentStore store = new JdbcIncidentStore(JdbcClient.create(ds),
                    new TransactionTemplate(new DataSourceTransactionManager(ds)), JdbcIncidentStore.flushFor(ds));
            Instant now = Instant.now();
            String id = "INC-20261208-KILL0" + args[1];
            store.insert(Incident.raise(id, "box-a", new Press(Long.parseLong(args[1]), now, now, now), "集市", "村",
                    30.8, 108.4));
            System.out.println("written " + id);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
