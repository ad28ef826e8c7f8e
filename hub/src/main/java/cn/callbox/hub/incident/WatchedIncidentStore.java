package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.dao.DataAccessResourceFailureException;

import cn.callbox.hub.system.DatabaseWatch;

/**
 * The incident store as the alarm path uses it: while the {@link DatabaseWatch} knows the database is down, every
 * call fails at once instead of waiting for a connection (an alarm must not hold a CoAP thread for the pool's
 * timeout); a call that fails for want of a database tells the watch. The service carries on from memory either way.
 */
final class WatchedIncidentStore implements IncidentStore {

    private final IncidentStore database;
    private final DatabaseWatch watch;

    WatchedIncidentStore(IncidentStore database, DatabaseWatch watch) {
        this.database = Objects.requireNonNull(database, "database");
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    @Override
    public void insert(Incident incident) {
        call(() -> {
            database.insert(incident);
            return null;
        });
    }

    @Override
    public void save(Incident incident) {
        call(() -> {
            database.save(incident);
            return null;
        });
    }

    @Override
    public Optional<Incident> findById(String id) {
        return call(() -> database.findById(id));
    }

    @Override
    public Optional<Incident> findByPress(String callbox, long sequence, Instant reportedAt, Instant unstampedSince) {
        return call(() -> database.findByPress(callbox, sequence, reportedAt, unstampedSince));
    }

    @Override
    public long lastDrillNumber() {
        return call(database::lastDrillNumber);
    }

    @Override
    public List<Incident> recent(int limit) {
        return call(() -> database.recent(limit));
    }

    @Override
    public List<Incident> open() {
        return call(database::open);
    }

    private <T> T call(Supplier<T> query) {
        if (!watch.answering()) {
            throw new DataAccessResourceFailureException("the database does not answer (skipped at once)");
        }
        try {
            return query.get();
        } catch (RuntimeException e) {
            if (DatabaseWatch.isOutage(e)) {
                watch.failed(e);
            }
            throw e;
        }
    }
}
