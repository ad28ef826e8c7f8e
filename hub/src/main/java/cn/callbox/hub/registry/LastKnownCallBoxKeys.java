package cn.callbox.hub.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.dao.DataAccessResourceFailureException;

import cn.callbox.hub.system.DatabaseWatch;

/**
 * The boxes' DTLS keys as the LwM2M server needs them while the database is down: a box must still complete its
 * handshake and send its alarm. Every lookup goes to the database when it answers (so an enrolled, rotated or retired
 * box counts at once) and its answer is remembered; while it does not ({@link DatabaseWatch}), the remembered key is
 * given at once. {@link #reload()} (at start and every half minute) reads every key. Thread-safe.
 */
final class LastKnownCallBoxKeys implements CallBoxKeys {

    private final CallBoxKeys database;
    private final Supplier<List<CallBoxKey>> all;
    private final DatabaseWatch watch;
    private final Map<String, CallBoxKey> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, CallBoxKey> byIdentity = new ConcurrentHashMap<>();

    /** @param all every key of a box not retired, from the database */
    LastKnownCallBoxKeys(CallBoxKeys database, Supplier<List<CallBoxKey>> all, DatabaseWatch watch) {
        this.database = Objects.requireNonNull(database, "database");
        this.all = Objects.requireNonNull(all, "all");
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    @Override
    public Optional<CallBoxKey> byEndpoint(String endpoint) {
        return lookup(() -> database.byEndpoint(endpoint), byEndpoint, endpoint);
    }

    @Override
    public Optional<CallBoxKey> byPskIdentity(String pskIdentity) {
        return lookup(() -> database.byPskIdentity(pskIdentity), byIdentity, pskIdentity);
    }

    /** Reads every key again; keys of boxes retired meanwhile are forgotten. Nothing while the database is down. */
    void reload() {
        if (!watch.answering()) {
            return;
        }
        List<CallBoxKey> keys;
        try {
            keys = all.get();
        } catch (RuntimeException e) {
            if (DatabaseWatch.isOutage(e)) {
                watch.failed(e);
                return;
            }
            throw e;
        }
        keys.forEach(this::remember);
        byEndpoint.keySet().retainAll(keys.stream().map(CallBoxKey::endpoint).toList());
        byIdentity.keySet().retainAll(keys.stream().map(CallBoxKey::pskIdentity).toList());
    }

    private Optional<CallBoxKey> lookup(Supplier<Optional<CallBoxKey>> query, Map<String, CallBoxKey> known,
            String name) {
        if (watch.answering()) {
            try {
                Optional<CallBoxKey> key = query.get();
                key.ifPresentOrElse(this::remember, () -> known.remove(name));
                return key;
            } catch (RuntimeException e) {
                if (!DatabaseWatch.isOutage(e)) {
                    throw e;
                }
                watch.failed(e);
            }
        }
        CallBoxKey remembered = known.get(name);
        if (remembered == null) {
            throw new DataAccessResourceFailureException(
                    "the database does not answer and no key of '" + name + "' is in memory");
        }
        return Optional.of(remembered);
    }

    private void remember(CallBoxKey key) {
        byEndpoint.put(key.endpoint(), key);
        byIdentity.put(key.pskIdentity(), key);
    }
}
