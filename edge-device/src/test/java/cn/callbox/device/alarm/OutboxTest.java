package cn.callbox.device.alarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path folder;

    @Test
    void records_survive_a_restart_oldest_first_with_their_press_times() throws Exception {
        Outbox first = Outbox.open(folder);
        AlarmRecord one = new AlarmRecord(1, Instant.parse("2026-03-01T08:00:00.123Z"));
        AlarmRecord two = new AlarmRecord(2, Instant.parse("2026-03-01T08:00:05.456Z"));
        first.add(two);
        first.add(one);

        Outbox restarted = Outbox.open(folder);

        assertEquals(List.of(one, two), restarted.pending());
        assertEquals(2, restarted.maxSequence());
    }

    @Test
    void a_removed_record_stays_removed_after_a_restart() throws Exception {
        Outbox outbox = Outbox.open(folder);
        outbox.add(new AlarmRecord(1, Instant.parse("2026-03-01T08:00:00Z")));
        outbox.add(new AlarmRecord(2, Instant.parse("2026-03-01T08:01:00Z")));
        outbox.remove(1);

        assertEquals(List.of(2L), Outbox.open(folder).pending().stream().map(AlarmRecord::sequence).toList());
    }

    @Test
    void a_corrupt_file_is_set_aside_and_the_rest_still_loads() throws Exception {
        Outbox outbox = Outbox.open(folder);
        outbox.add(new AlarmRecord(7, Instant.parse("2026-03-01T08:00:00Z")));
        Path alarms = folder.resolve(Outbox.FOLDER);
        Files.writeString(alarms.resolve("alarm-0000000000000000008.rec"), "sequence=8\npressedAt=yesterday\n");
        Files.writeString(alarms.resolve("alarm-0000000000000000009.rec"), "sequence=10\npressedAt=2026-03-01T08:00:00Z\n");

        Outbox reloaded = Outbox.open(folder);

        assertEquals(1, reloaded.size());
        assertTrue(Files.exists(alarms.resolve("alarm-0000000000000000008.rec.corrupt")));
        assertTrue(Files.exists(alarms.resolve("alarm-0000000000000000009.rec.corrupt")));
        assertEquals(1, Outbox.open(folder).size(), "set-aside files are not read again");
    }

    @Test
    void the_press_counter_never_repeats_a_number_across_restarts() throws Exception {
        PressCounter counter = PressCounter.open(folder, 0);
        assertEquals(1, counter.next());
        assertEquals(2, counter.next());

        PressCounter restarted = PressCounter.open(folder, 0);
        assertEquals(2, restarted.current());
        assertEquals(3, restarted.next());
    }

    @Test
    void a_lost_counter_file_restarts_above_the_outbox() throws Exception {
        PressCounter counter = PressCounter.open(folder, 0);
        counter.next();
        Files.delete(folder.resolve(PressCounter.FILE));

        assertEquals(6, PressCounter.open(folder, 5).next());
    }

    @Test
    void a_corrupt_counter_file_is_set_aside_and_numbering_continues_above_the_outbox() throws Exception {
        Files.writeString(folder.resolve(PressCounter.FILE), "garbage");
        PressCounter counter = PressCounter.open(folder, 4);
        assertEquals(5, counter.next());
        assertEquals(5, PressCounter.open(folder, 0).current());
    }
}
