package cn.callbox.device.lwm2m;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.tinylog.Logger;

/**
 * What the alarm path may do to the link when a Send failed, without fighting Leshan's registration engine.
 * <p>
 * Why this exists: the engine (Leshan 2.0.0-M18 {@code DefaultRegistrationEngine}) already recovers from a hub
 * restart by itself: its UPDATE times out, it clears the DTLS session, updates again, gets 4.04 and registers anew.
 * The alarm path used to do the same from its own thread on every failed Send: clear the DTLS session and call
 * {@code triggerRegistrationUpdate}. Both hurt:
 * <ul>
 * <li>Clearing the session while the engine's REGISTER (or its handshake) is in flight aborts it; the engine then
 * waits its retry time, and the next failed Send aborts the next attempt: a box that never registers.
 * <li>{@code triggerRegistrationUpdate} schedules an UPDATE with the first registration id the engine still holds.
 * After an UPDATE timed out twice and a REGISTER succeeded, the engine keeps the old id beside the new one (it only
 * forgets an id the hub refused), so the triggered UPDATE can use the stale id: 4.04, another REGISTER. A trigger while
 * the engine's own registration retry is scheduled starts a second UPDATE chain (the engine overwrites, without
 * cancelling, its one update future). Each chain then re-registers on its own heartbeat and makes the other's id
 * stale: the registration storm that lasted as long as the boxes ran.
 * </ul>
 * So the alarm path acts only while the engine is idle, at most once per engine outcome:
 * <ul>
 * <li>a Send with <b>no answer</b> (the hub may have restarted and lost the session): clear the session, so that the
 * next message makes a fresh handshake; and, when the engine's registration is healthy (its last REGISTER or UPDATE
 * succeeded and it holds exactly one registration), ask it for an UPDATE now, which re-registers at once if the hub
 * lost the registration;
 * <li>a Send <b>refused for want of a registration</b> (4.xx: the hub answered, so the session is fine): the same
 * UPDATE request, no clearing;
 * <li>anything else, or the engine busy (a REGISTER or UPDATE in flight, a recovery already asked for): nothing. The
 * engine finishes; its success wakes the outbox.
 * </ul>
 * The engine tells its exchanges through {@link #exchangeStarted()} (called on its thread before it sends, blocking
 * while a clearing is under way, so a clearing never falls into its handshake) and {@link #succeeded()} /
 * {@link #failed()}. Thread-safe.
 */
final class HubLinkRecovery {

    /** The engine operations the recovery uses. */
    interface Link {
        /** Drops the DTLS session: the next message makes a new handshake. */
        void clearSession();

        /** Asks the registration engine for an UPDATE now (it registers anew if the hub refuses it). */
        void updateNow();

        /** How many registrations the engine holds (more than one: some are stale). */
        int registrations();
    }

    private final Link link;
    private final LongSupplier nanoTime;
    private final long recoveryExpiryNanos;

    private boolean engineBusy;
    private boolean engineHealthy;
    /** When the UPDATE asked for was requested (nanoTime); 0: none outstanding. */
    private long recoveryAskedAt;

    /**
     * @param recoveryExpiry how long an UPDATE asked for may take to report back before the recovery may act again
     *        (the engine drops a request it cannot place; the recovery must not wait for it forever)
     * @param nanoTime a monotonic clock ({@code System::nanoTime} in production)
     */
    HubLinkRecovery(Link link, Duration recoveryExpiry, LongSupplier nanoTime) {
        this.link = Objects.requireNonNull(link, "link");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.recoveryExpiryNanos = recoveryExpiry.toNanos();
    }

    /** The engine is about to send a REGISTER or an UPDATE (its thread; waits while a clearing is under way). */
    synchronized void exchangeStarted() {
        engineBusy = true;
    }

    /** The engine's REGISTER or UPDATE succeeded: it has scheduled its next UPDATE. */
    synchronized void succeeded() {
        engineBusy = false;
        engineHealthy = true;
        recoveryAskedAt = 0;
    }

    /** The engine's REGISTER or UPDATE failed or timed out: it retries by itself. */
    synchronized void failed() {
        engineBusy = false;
        engineHealthy = false;
        recoveryAskedAt = 0;
    }

    /** A Send got no answer in time, or could not be sent. Called on the outbox's delivery thread. */
    synchronized void sendUnanswered() {
        if (!mayAct()) {
            return;
        }
        Logger.info("Alarm Send unanswered: a fresh DTLS handshake with the hub");
        link.clearSession();
        askUpdate();
    }

    /** A Send was refused (4.xx): the hub has no registration for the box. Called on the delivery thread. */
    synchronized void sendRefused() {
        if (mayAct()) {
            askUpdate();
        }
    }

    private boolean mayAct() {
        if (engineBusy) {
            return false;
        }
        if (recoveryAskedAt != 0 && nanoTime.getAsLong() - recoveryAskedAt < recoveryExpiryNanos) {
            return false;
        }
        recoveryAskedAt = 0;
        return true;
    }

    private void askUpdate() {
        if (engineHealthy && link.registrations() == 1) {
            Logger.info("Asking the registration engine for an update now");
            recoveryAskedAt = Math.max(1, nanoTime.getAsLong());
            link.updateNow();
        }
    }
}
