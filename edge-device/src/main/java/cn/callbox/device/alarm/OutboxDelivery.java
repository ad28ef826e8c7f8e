package cn.callbox.device.alarm;

import java.io.IOException;
import java.time.Duration;

import org.tinylog.Logger;

import cn.callbox.device.time.Scheduler;

/**
 * Sends the outbox to the hub, oldest record first, on its own {@link Scheduler} (sends block while waiting for the
 * hub). A record is removed only after the transport reports it acknowledged. While the transport is not ready or a
 * send fails, delivery retries with exponential backoff ({@code minBackoff} doubling up to {@code maxBackoff});
 * {@link #wake()} (a new record, a (re)registration) retries at once.
 */
public final class OutboxDelivery {

    private final Outbox outbox;
    private final AlarmTransport transport;
    private final Scheduler scheduler;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private Duration backoff;
    private Scheduler.Cancellable retry = () -> {
    };
    private boolean attemptQueued;

    public OutboxDelivery(Outbox outbox, AlarmTransport transport, Scheduler scheduler, Duration minBackoff,
            Duration maxBackoff) {
        this.outbox = outbox;
        this.transport = transport;
        this.scheduler = scheduler;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = minBackoff;
    }

    /** Tries to deliver soon, on the delivery thread; calls while an attempt is already queued are merged. */
    public void wake() {
        synchronized (this) {
            if (attemptQueued) {
                return;
            }
            attemptQueued = true;
            retry.cancel();
            backoff = minBackoff;
        }
        scheduler.schedule(Duration.ZERO, this::attempt);
    }

    private void attempt() {
        synchronized (this) {
            attemptQueued = false;
        }
        if (outbox.size() == 0) {
            return;
        }
        if (!transport.isReady()) {
            later("not registered with the hub");
            return;
        }
        for (AlarmRecord record : outbox.pending()) {
            boolean delivered;
            try {
                delivered = transport.send(record);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                Logger.warn(e, "Sending alarm #{} failed", record.sequence());
                delivered = false;
            }
            if (!delivered) {
                later("alarm #" + record.sequence() + " not acknowledged");
                return;
            }
            try {
                outbox.remove(record.sequence());
                Logger.info("Alarm #{} acknowledged by the hub and removed from the outbox", record.sequence());
            } catch (IOException e) {
                // the hub dedups on endpoint + sequence, so sending it again later is harmless
                Logger.error("Alarm #{} was acknowledged but could not be removed from the outbox: {}",
                        record.sequence(), e.getMessage());
                later("outbox not writable");
                return;
            }
        }
        synchronized (this) {
            backoff = minBackoff;
        }
    }

    private void later(String why) {
        Duration wait;
        synchronized (this) {
            wait = backoff;
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
            retry.cancel();
            retry = scheduler.schedule(wait, this::attempt);
        }
        Logger.info("{} alarm(s) waiting ({}); retry in {} s", outbox.size(), why, wait.toMillis() / 1000.0);
    }
}
