package cn.callbox.hub.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.history.HistoryPoint.CallBoxStatus;
import cn.callbox.hub.history.HistoryPoint.LockerItems;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.protocol.ItemKind;

/** The recorder turns listener calls into points tagged from the registry and hands them to the store in order. */
class HistoryRecorderTest {

    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");

    final List<HistoryPoint> stored = new CopyOnWriteArrayList<>();
    final ReadinessHistory store = new ReadinessHistory() {
        @Override
        public void record(List<? extends HistoryPoint> points) {
            stored.addAll(points);
        }

        @Override
        public List<ReadinessEntry> query(String unitId, Instant from, Instant to) {
            return List.of();
        }
    };
    final TownshipDirectory directory = new EmptyTownshipDirectory() {
        final CallBoxInfo box = new CallBoxInfo("box-1", "后山场镇集市", "pt-1", "v-houshan", "后山村", 30.8, 108.4,
                "unit-a");

        @Override
        public Optional<CallBoxInfo> callBox(String endpoint) {
            return endpoint.equals("box-1") ? Optional.of(box) : Optional.empty();
        }

        @Override
        public List<CallBoxInfo> callBoxes() {
            return List.of(box);
        }
    };
    final HistoryRecorder recorder = new HistoryRecorder(store, directory, "houshan", Clock.fixed(T0, ZoneOffset.UTC));

    @AfterEach
    void close() {
        recorder.close();
    }

    @Test
    void locker_changes_record_only_the_kinds_that_changed_and_presence_is_tagged_from_the_registry()
            throws InterruptedException {
        recorder.lockerChanged("box-1", false, Map.of(ItemKind.HELMET, 4, ItemKind.BATON, 1));
        recorder.lockerChanged("box-1", true, Map.of(ItemKind.HELMET, 3, ItemKind.BATON, 1));
        recorder.lockerChanged("box-1", true, Map.of(ItemKind.HELMET, 3, ItemKind.BATON, 1));
        recorder.lockerChanged("box-unknown", true, Map.of(ItemKind.HELMET, 3));
        recorder.onlineChanged("box-1", new Presence(false, T0, false, null, Map.of()));
        awaitIdle();

        assertThat(stored).containsExactly(
                new LockerItems(T0, "houshan", "v-houshan", "unit-a", "box-1", Map.of("helmet", 4, "baton", 1)),
                new LockerItems(T0, "houshan", "v-houshan", "unit-a", "box-1", Map.of("helmet", 3)),
                new CallBoxStatus(T0, "houshan", "v-houshan", "unit-a", "box-1", false));
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!recorder.idle()) {
            assertThat(System.nanoTime()).as("recorder idle within 10 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
