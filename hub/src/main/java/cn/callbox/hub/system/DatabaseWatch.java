package cn.callbox.hub.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.NonTransientDataAccessResourceException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Whether the hub's database answers, so that the alarm path never waits for one that does not. A connection pool
 * waits for a connection up to its timeout on every call while the database is down: an alarm would block a CoAP
 * thread that long, and each DTLS handshake too. Callers that can go on from memory ask {@link #answering()} first
 * and skip the database at once while it is down; a failed call of theirs reports it ({@link #failed}). {@link #probe}
 * (once a second, on its own thread) finds out when the database is back, and when it went away while nobody called.
 * <p>
 * Thread-safe; {@link #answering()} is a volatile read.
 */
public final class DatabaseWatch {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWatch.class);

    private final JdbcClient jdbc;
    private volatile boolean answering = true;

    /** @param jdbc the database {@link #probe()} asks; null when nobody probes (tests report by hand) */
    public DatabaseWatch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** False from a failed call or probe until a probe succeeds again. */
    public boolean answering() {
        return answering;
    }

    /** A call to the database failed for want of a database (not for bad data): it is taken as down. */
    public void failed(RuntimeException problem) {
        if (answering) {
            answering = false;
            LOG.error("The database does not answer ({}): the alarm path goes on from memory until it is back",
                    problem.toString());
        }
    }

    /**
     * Whether {@code problem} says the database is unreachable (no connection, a broken one, a timeout), as opposed to
     * a refusal of the data (a duplicate key, a bad statement), which a database that answers gives too.
     */
    public static boolean isOutage(RuntimeException problem) {
        return problem instanceof DataAccessResourceFailureException
                || problem instanceof TransientDataAccessResourceException
                || problem instanceof NonTransientDataAccessResourceException
                || problem instanceof RecoverableDataAccessException
                || problem instanceof QueryTimeoutException;
    }

    /** One {@code SELECT 1}; updates {@link #answering()} and logs a change. */
    public void probe() {
        boolean now;
        try {
            now = jdbc.sql("SELECT 1").query(Integer.class).single() == 1;
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        if (now) {
            answered();
        }
    }

    /** The database answered (a probe or a caller's query): it is taken as up again. */
    public void answered() {
        if (!answering) {
            answering = true;
            LOG.info("The database answers again");
        }
    }
}
