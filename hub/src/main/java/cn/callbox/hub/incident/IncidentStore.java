package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where incidents are kept. A write that returns normally is durable: it survives the hub being killed (and, where the
 * database does, a power cut) at once after it. Every method may throw Spring's {@code DataAccessException} when the store is
 * unreachable; the service then carries on from memory and retries. Implementations are thread-safe; callers order
 * the saves of one incident.
 */
interface IncidentStore {

    /**
     * Stores a new incident.
     *
     * @throws org.springframework.dao.DuplicateKeyException when an incident with the same id or drill number, or a
     *         press of it (call box, alarm sequence and reported time), is already stored
     */
    void insert(Incident incident);

    /**
     * Stores the current state of an incident, inserting it when it is not stored yet.
     *
     * @throws org.springframework.dao.DuplicateKeyException when a press it holds is already stored for another one
     */
    void save(Incident incident);

    Optional<Incident> findById(String id);

    /**
     * The incident holding one press (never a drill): call box, alarm sequence and the press time the box reported.
     * For a press reported without a time ({@code reportedAt} null) only a press recorded since {@code unstampedSince}
     * matches: a box that sends no time stamps is told apart from its own resends by recency alone.
     */
    Optional<Incident> findByPress(String callbox, long sequence, Instant reportedAt, Instant unstampedSince);

    /** The highest drill number stored (drills keep it as their sequence); 0 when there is no drill. */
    long lastDrillNumber();

    /** The newest incidents first (by recordedAt), at most {@code limit}. */
    List<Incident> recent(int limit);

    /** Every incident not resolved and not a false alarm. */
    List<Incident> open();
}
