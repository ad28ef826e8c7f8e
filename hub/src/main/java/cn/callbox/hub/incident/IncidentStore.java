package cn.callbox.hub.incident;

import java.util.List;
import java.util.Optional;

/**
 * Where incidents are kept. Every method may throw Spring's {@code DataAccessException} when the store is
 * unreachable; the service then carries on from memory and retries. Implementations are thread-safe; callers order
 * the saves of one incident.
 */
interface IncidentStore {

    /**
     * Stores a new incident.
     *
     * @throws org.springframework.dao.DuplicateKeyException when an incident with the same id, or with the same call
     *         box and alarm sequence, is already stored
     */
    void insert(Incident incident);

    /** Stores the current state of an incident, inserting it when it is not stored yet. */
    void save(Incident incident);

    Optional<Incident> findById(String id);

    /** The incident of one alarm (never a drill): dedup key call box endpoint + alarm sequence. */
    Optional<Incident> findByAlarm(String callbox, long sequence);

    /** The highest drill number stored (drills keep it as their sequence); 0 when there is no drill. */
    long lastDrillNumber();

    /** The newest incidents first (by recordedAt), at most {@code limit}. */
    List<Incident> recent(int limit);

    /** Every incident not resolved and not a false alarm. */
    List<Incident> open();
}
