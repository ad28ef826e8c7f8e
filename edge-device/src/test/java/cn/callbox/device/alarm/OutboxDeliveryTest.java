package cn.callbox.device.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.time.ManualScheduler;

class OutboxDeliveryTest {

    @TempDir
    Path folder;

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2026-03-01T08:00:00Z"));

    /** A hub that can be down, and that acknowledges or not. */
    private static final class FakeHub implements AlarmTransport {
        boolean up;
        boolean acknowledges = true;
        final List<AlarmRecord> received = new ArrayList<>();
        final List<Instant> attempts = new ArrayList<>();
        private final ManualScheduler scheduler;

        FakeHub(ManualScheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public boolean isReady() {
            attempts.add(scheduler.clock().instant());
            return up;
        }

        @Override
        public boolean send(AlarmRecord record) {
            received.add(record);
            return acknowledges;
        }
    }

    @Test
    void delivers_oldest_first_and_empties_the_outbox() throws Exception {
        Outbox outbox = Outbox.open(folder);
        FakeHub hub = new FakeHub(scheduler);
        hub.up = true;
        OutboxDelivery delivery = new OutboxDelivery(outbox, hub, scheduler, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        outbox.add(new AlarmRecord(2, Instant.parse("2026-03-01T07:59:00Z")));
        outbox.add(new AlarmRecord(1, Instant.parse("2026-03-01T07:58:00Z")));

        delivery.wake();
        scheduler.runDue();

        assertEquals(List.of(1L, 2L), hub.received.stream().map(AlarmRecord::sequence).toList());
        assertEquals(0, outbox.size());
        assertEquals(0, Outbox.open(folder).size());
    }

    @Test
    void retries_with_growing_backoff_while_the_hub_is_away_then_delivers() throws Exception {
        Outbox outbox = Outbox.open(folder);
        FakeHub hub = new FakeHub(scheduler);
        OutboxDelivery delivery = new OutboxDelivery(outbox, hub, scheduler, Duration.ofSeconds(1),
                Duration.ofSeconds(4));
        outbox.add(new AlarmRecord(1, Instant.parse("2026-03-01T07:58:00Z")));
        delivery.wake();

        scheduler.advance(Duration.ofSeconds(20));
        Instant t0 = Instant.parse("2026-03-01T08:00:00Z");
        assertEquals(List.of(t0, t0.plusSeconds(1), t0.plusSeconds(3), t0.plusSeconds(7), t0.plusSeconds(11),
                t0.plusSeconds(15), t0.plusSeconds(19)), hub.attempts, "1, 2, 4 s, then capped at 4 s");
        assertEquals(1, outbox.size());

        hub.up = true;
        scheduler.advance(Duration.ofSeconds(4));
        assertEquals(0, outbox.size());
    }

    @Test
    void an_unacknowledged_send_keeps_the_record() throws Exception {
        Outbox outbox = Outbox.open(folder);
        FakeHub hub = new FakeHub(scheduler);
        hub.up = true;
        hub.acknowledges = false;
        OutboxDelivery delivery = new OutboxDelivery(outbox, hub, scheduler, Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        outbox.add(new AlarmRecord(1, Instant.parse("2026-03-01T07:58:00Z")));
        outbox.add(new AlarmRecord(2, Instant.parse("2026-03-01T07:59:00Z")));
        delivery.wake();
        scheduler.runDue();

        assertEquals(2, outbox.size());
        assertEquals(List.of(1L), hub.received.stream().map(AlarmRecord::sequence).toList(),
                "stops at the first failure so order is kept");
        hub.acknowledges = true;
        delivery.wake(); // e.g. a re-registration
        scheduler.runDue();
        assertEquals(0, outbox.size());
    }
}
