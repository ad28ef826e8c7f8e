package cn.callbox.hub.incident;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.testing.MutableClock;
import cn.callbox.protocol.CallState;
import cn.callbox.protocol.SirenPattern;
import cn.callbox.protocol.SoundPriority;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.mqtt.UnitAlert;

/** Small recording stand-ins for the registry, readiness, the LwM2M commands, MQTT, the clock and the database. */
final class Fakes {

    private Fakes() {
    }

    /** An in-memory township. */
    static final class Directory implements TownshipDirectory {
        private final Map<String, CallBoxInfo> boxes = new ConcurrentHashMap<>();
        private final Map<String, UnitInfo> units = new ConcurrentHashMap<>();
        private final Map<String, List<MemberInfo>> members = new ConcurrentHashMap<>();

        Directory box(String endpoint, String place, String village, double lat, double lon, String unitId) {
            boxes.put(endpoint, new CallBoxInfo(endpoint, place, "pt-" + endpoint, "v-" + village, village, lat, lon,
                    unitId));
            return this;
        }

        Directory unit(String id, double lat, double lon, List<String> callBoxes, String... memberIds) {
            units.put(id, new UnitInfo(id, id + "单元", "v-" + id, id + "村", lat, lon, callBoxes));
            members.put(id, java.util.Arrays.stream(memberIds)
                    .map(m -> new MemberInfo(m, id, "队员" + m, "民兵", true)).toList());
            return this;
        }

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return Optional.ofNullable(boxes.get(endpoint));
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return boxes.values().stream().sorted(Comparator.comparing(CallBoxInfo::endpoint)).toList();
        }

        @Override
        public Optional<UnitInfo> unit(String unitId) {
            return Optional.ofNullable(units.get(unitId));
        }

        @Override
        public List<UnitInfo> units() {
            return units.values().stream().sorted(Comparator.comparing(UnitInfo::id)).toList();
        }

        @Override
        public List<MemberInfo> members(String unitId) {
            return members.getOrDefault(unitId, List.of());
        }

        @Override
        public DutyDay duty(String unitId, LocalDate day) {
            return new DutyDay(unitId, day, null, List.of());
        }
    }

    /** Every unit ready unless marked otherwise. */
    static final class Readiness implements ReadinessService {
        final Set<String> notReady = ConcurrentHashMap.newKeySet();

        @Override
        public UnitReadiness readinessOf(String unitId) {
            if (unitId == null) {
                throw new NoSuchElementException();
            }
            boolean ready = !notReady.contains(unitId);
            return new UnitReadiness(unitId,
                    ready ? ReadinessService.State.READY : ReadinessService.State.UNDERSTAFFED, ready ? 3 : 1,
                    "leader", List.of(),
                    ready ? List.of() : List.of("1 on duty, 3 needed"));
        }
    }

    /**
     * Records every command as one line: "siren box alarm PT3M", "announce box text", "status box state id"; the
     * announcements' priorities in {@link #announcePriorities}, in the same order.
     */
    static final class Commands implements CallBoxCommands {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<SoundPriority> announcePriorities = new CopyOnWriteArrayList<>();

        @Override
        public void soundSiren(String endpoint, SirenPattern pattern, Duration duration) {
            calls.add("siren " + endpoint + " " + pattern.wireName() + " " + duration);
        }

        @Override
        public void stopSiren(String endpoint) {
            calls.add("stop " + endpoint);
        }

        @Override
        public void announce(String endpoint, String text, SoundPriority priority) {
            announcePriorities.add(priority);
            calls.add("announce " + endpoint + " " + text);
        }

        @Override
        public void showCallStatus(String endpoint, CallState state, String incidentId) {
            calls.add("status " + endpoint + " " + state.wireName() + " " + incidentId);
        }

        List<String> starting(String prefix) {
            return calls.stream().filter(c -> c.startsWith(prefix)).toList();
        }
    }

    /** Records alerts per unit and the last incident JSON per incident. */
    static final class Publisher implements AlarmPublisher {
        final List<Map.Entry<String, UnitAlert>> alerts = new CopyOnWriteArrayList<>();
        final Map<String, String> incidents = new ConcurrentHashMap<>();
        final List<String> incidentPublications = new CopyOnWriteArrayList<>();

        @Override
        public void publishAlert(String unitId, UnitAlert alert) {
            alerts.add(Map.entry(unitId, alert));
        }

        @Override
        public void publishIncident(String incidentId, String incidentJson) {
            incidents.put(incidentId, incidentJson);
            incidentPublications.add(incidentId);
        }

        List<String> alertedUnits() {
            return alerts.stream().map(Map.Entry::getKey).toList();
        }
    }

    /** Records audit entries as "actor action target detail". */
    static final class Audit implements AuditTrail {
        final List<String> entries = new CopyOnWriteArrayList<>();

        @Override
        public void record(String actor, String action, String target, String detail) {
            entries.add(actor + " " + action + " " + target + " " + detail);
        }

        @Override
        public List<AuditEntry> latest(int limit) {
            return List.of();
        }
    }

    /** A database that can be switched off: every call then fails as an unreachable database does. */
    static final class SwitchableStore implements IncidentStore {
        private final IncidentStore delegate;
        volatile boolean down;

        SwitchableStore(IncidentStore delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down) {
                throw new DataAccessResourceFailureException("database down (test)");
            }
        }

        @Override
        public void insert(Incident incident) {
            check();
            delegate.insert(incident);
        }

        @Override
        public void save(Incident incident) {
            check();
            delegate.save(incident);
        }

        @Override
        public Optional<Incident> findById(String id) {
            check();
            return delegate.findById(id);
        }

        @Override
        public Optional<Incident> findByPress(String callbox, long sequence, Instant reportedAt,
                Instant unstampedSince) {
            check();
            return delegate.findByPress(callbox, sequence, reportedAt, unstampedSince);
        }

        @Override
        public long lastDrillNumber() {
            check();
            return delegate.lastDrillNumber();
        }

        @Override
        public List<Incident> recent(int limit) {
            check();
            return delegate.recent(limit);
        }

        @Override
        public List<Incident> open() {
            check();
            return delegate.open();
        }
    }

    /** A fresh H2 database in PostgreSQL mode with every hub migration (V1 registry, V2 incidents) applied. */
    static DataSource database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return migrated(ds);
    }

    /** Applies every hub migration to an empty database (H2 or PostgreSQL) and returns it. */
    static DataSource migrated(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    static JdbcIncidentStore store(DataSource ds) {
        return new JdbcIncidentStore(JdbcClient.create(ds), new TransactionTemplate(new DataSourceTransactionManager(ds)),
                JdbcIncidentStore.flushFor(ds));
    }

    /**
     * Makes room for a new incident at the box: its open incidents are closed and a minute passes, so that the next
     * press raises an incident instead of joining one (or counting against the box's per-minute limit).
     */
    static void newPressAllowed(IncidentService service, MutableClock clock, String box) {
        service.list().stream().filter(i -> box.equals(i.callbox()) && !i.kind().equals("drill")
                && WireName.parse(IncidentState.class, i.state()).map(state -> !state.closed()).orElse(false))
                .forEach(i -> service.close(i.id(), "test", "making room for a new press"));
        clock.advance(Duration.ofMinutes(1));
    }

    static <T> List<T> copy(List<T> list) {
        return new ArrayList<>(list);
    }
}
