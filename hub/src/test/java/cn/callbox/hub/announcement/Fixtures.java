package cn.callbox.hub.announcement;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.RecordingFeed;

/** Fakes and a database for the announcement tests. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * Five boxes: market-01 (village houshan, unit u-market), houshan-01 and houshan-02 (village houshan, unit
     * u-houshan), tianxing-01 (village tianxing, unit u-tianxing); unit u-empty has no box, village shiping has
     * only that unit.
     */
    static final class Directory extends EmptyTownshipDirectory {
        final List<CallBoxInfo> boxes = new CopyOnWriteArrayList<>(List.of(
                box("market-01", "houshan", "u-market"),
                box("houshan-01", "houshan", "u-houshan"),
                box("houshan-02", "houshan", "u-houshan"),
                box("tianxing-01", "tianxing", "u-tianxing")));
        /** id, village. */
        final List<String[]> unitRows = new CopyOnWriteArrayList<>(List.of(new String[] { "u-empty", "shiping" },
                new String[] { "u-houshan", "houshan" }, new String[] { "u-market", "houshan" },
                new String[] { "u-tianxing", "tianxing" }));

        private static CallBoxInfo box(String endpoint, String village, String unit) {
            return new CallBoxInfo(endpoint, "place " + endpoint, "p-" + endpoint, village, village + "村", 30.75,
                    108.4, unit);
        }

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return boxes.stream().filter(b -> b.endpoint().equals(endpoint)).findFirst();
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return List.copyOf(boxes);
        }

        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return units().stream().filter(u -> u.id().equals(unitId)).findFirst();
        }

        @Override
        public List<UnitInfo> units() {
            List<UnitInfo> units = new ArrayList<>();
            for (String[] u : unitRows) {
                units.add(new UnitInfo(u[0], u[0] + "单元", u[1], u[1] + "村", 30.75, 108.4,
                        boxes.stream().filter(b -> b.unitId().equals(u[0])).map(CallBoxInfo::endpoint).toList()));
            }
            return units;
        }
    }

    /**
     * Answers every announcement at once with "announced", except endpoints set offline (answered "offline"), silent
     * (never answered) or refusing.
     */
    static final class Speakers implements Loudspeakers {
        record Call(String endpoint, Speech speech, Duration timeout) {
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();
        final Set<String> offline = ConcurrentHashMap.newKeySet();
        final Set<String> silent = ConcurrentHashMap.newKeySet();
        /** Answers only once this many calls have come in: a sequential sender would wait forever. */
        volatile int answerWhenCalls = 0;
        private final List<Runnable> held = new CopyOnWriteArrayList<>();

        @Override
        public synchronized CompletableFuture<Delivery> announce(String endpoint, Speech speech, Duration timeout) {
            calls.add(new Call(endpoint, speech, timeout));
            CompletableFuture<Delivery> answer = new CompletableFuture<>();
            if (silent.contains(endpoint)) {
                return answer;
            }
            Delivery delivery = offline.contains(endpoint) ? Delivery.failed(Delivery.OFFLINE) : Delivery.announced();
            held.add(() -> answer.complete(delivery));
            if (calls.size() >= answerWhenCalls) {
                List<Runnable> now = List.copyOf(held);
                held.clear();
                // on another thread, as a transport would
                CompletableFuture.runAsync(() -> now.forEach(Runnable::run));
            }
            return answer;
        }

        List<String> endpoints() {
            return calls.stream().map(Call::endpoint).toList();
        }
    }

    static final class Audit implements AuditTrail {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

        @Override
        public void record(String actor, String action, String target, String detail) {
            entries.add(new AuditEntry(entries.size() + 1, null, actor, action, target, detail));
        }

        @Override
        public List<AuditEntry> latest(int limit) {
            return List.copyOf(entries);
        }
    }

    /** The whole announcement side over one database, as the hub wires it. */
    static final class Hub {
        final JdbcClient jdbc;
        final TransactionTemplate tx;
        final Directory directory;
        final Speakers speakers;
        final Audit audit = new Audit();
        final RecordingFeed feed = new RecordingFeed();
        final AnnouncementService announcements;
        final ScheduleService schedules;

        Hub(DataSource dataSource, Directory directory, Speakers speakers, Clock clock,
                Duration answerTimeout) {
            this.jdbc = JdbcClient.create(dataSource);
            this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            this.directory = directory;
            this.speakers = speakers;
            this.announcements = new AnnouncementService(directory, speakers, new JdbcAnnouncementStore(jdbc, tx),
                    audit, feed, clock, answerTimeout);
            this.schedules = new ScheduleService(new JdbcScheduleStore(jdbc), announcements, directory, audit, feed,
                    clock);
        }

        long count(String table) {
            return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
        }
    }

    /** A fresh H2 database in PostgreSQL mode with every migration. */
    static DataSource dataSource() {
        return migrated(new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", ""));
    }

    /** {@code dataSource} migrated by Flyway with every migration. */
    static DataSource migrated(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
