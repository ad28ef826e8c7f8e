package cn.callbox.hub.supervision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import cn.callbox.hub.rectification.RectificationTasks;
import cn.callbox.hub.testing.EmptyTownshipDirectory;

/** Small fakes for supervision tests. */
final class Fakes {

    private Fakes() {
    }

    /** An object provider with the given beans (none: unavailable), from a real Spring bean factory. */
    @SuppressWarnings("unchecked")
    static <T> ObjectProvider<T> provider(Class<T> type, T... beans) {
        StaticListableBeanFactory factory = new StaticListableBeanFactory();
        for (int i = 0; i < beans.length; i++) {
            factory.addBean("bean" + i, beans[i]);
        }
        return factory.getBeanProvider(type);
    }

    /** Boxes box-1 and box-2 of unit-a; nothing else is registered. */
    static final class Directory extends EmptyTownshipDirectory {
        final List<CallBoxInfo> boxes = List.of(
                new CallBoxInfo("box-1", "一组晒坝", "p1", "v", "村", 30.8, 108.4, "unit-a"),
                new CallBoxInfo("box-2", "二组路口", "p2", "v", "村", 30.8, 108.4, "unit-a"));

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return boxes.stream().filter(b -> b.endpoint().equals(endpoint)).findFirst();
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return boxes;
        }

        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return unitId.equals("unit-a")
                    ? Optional.of(new UnitInfo("unit-a", "单元", "v", "村", 30.8, 108.4, List.of("box-1", "box-2")))
                    : Optional.empty();
        }

        @Override
        public List<UnitInfo> units() {
            return List.of(unit("unit-a").orElseThrow());
        }
    }

    /** Records opened tasks; one per unit, reason and subject, as the real one. */
    static final class Tasks implements RectificationTasks {
        record Opened(String unit, Reason reason, String subject, String detail) {
        }

        final List<Opened> opened = new CopyOnWriteArrayList<>();

        @Override
        public String open(String unitId, Reason reason, String subject, String detail) {
            opened.add(new Opened(unitId, reason, subject, detail));
            return "task-" + opened.size();
        }
    }

    /** Answers self-tests with a scripted outcome per box (passed when none is scripted). */
    static final class SelfTestBoxes implements SelfTestCommand {
        final Map<String, SelfTestOutcome> outcomes = new ConcurrentHashMap<>();
        final List<String> run = new CopyOnWriteArrayList<>();
        /** The mode of each run, in order. */
        final List<Mode> modes = new CopyOnWriteArrayList<>();

        @Override
        public void runSelfTest(String endpoint, Mode mode, Consumer<SelfTestOutcome> done) {
            run.add(endpoint);
            modes.add(mode);
            done.accept(outcomes.getOrDefault(endpoint, new SelfTestOutcome(true, List.of())));
        }
    }

    /** Self-test results in memory. */
    static final class Results implements SelfTestResults {
        final List<SelfTestResult> all = new CopyOnWriteArrayList<>();

        @Override
        public void add(SelfTestResult result) {
            all.add(result);
        }

        @Override
        public List<SelfTestResult> of(String endpoint, int limit) {
            List<SelfTestResult> mine = new ArrayList<>(all.stream().filter(r -> r.endpoint().equals(endpoint))
                    .toList());
            Collections.reverse(mine);
            return mine.subList(0, Math.min(limit, mine.size()));
        }
    }

    /** A fresh H2 database in PostgreSQL mode with every hub migration applied. */
    static DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
