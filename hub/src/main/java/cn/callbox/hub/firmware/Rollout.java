package cn.callbox.hub.firmware;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * A firmware roll-out: one package to a list of call boxes, {@code waveSize} boxes at a time (waves numbered from 1).
 * Only the boxes of the current wave are ever contacted; the next wave starts once every box of this one reached an
 * end state without a failure.
 *
 * @param downloadUrl the Package URI written to the boxes (it carries the package's secret download token: never shown
 *        through the API)
 * @param wave the current wave, 1-based
 * @param waveStartedAt when the current wave started (the offline grace counts from it)
 * @param endedAt null while running
 * @param detail why it ended (null while running)
 */
record Rollout(String id, String firmwareId, String version, String downloadUrl, State state, int waveSize, int wave,
        int waves, Instant waveStartedAt, Instant createdAt, String createdBy, Instant endedAt, String detail) {

    Rollout {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }

    /** Life of a roll-out: running, then exactly one of the others (never changed again). */
    enum State {
        RUNNING, COMPLETED, HALTED, CANCELLED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static State ofWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * Where one box's update stands: {@code pending} → {@code downloading} → {@code installing} →
     * {@code confirming} (the new firmware runs on trial) → {@code succeeded} (the box confirmed it healthy); the
     * other end states can be reached on the way.
     */
    enum BoxState {
        PENDING("pending"), DOWNLOADING("downloading"), INSTALLING("installing"), CONFIRMING("confirming"),
        SUCCEEDED("succeeded"), FAILED("failed"), ROLLED_BACK("rolled-back"), SKIPPED("skipped"),
        CANCELLED("cancelled");

        private final String wireName;

        BoxState(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }

        /** Whether the box is done with this roll-out. */
        boolean terminal() {
            return this != PENDING && this != DOWNLOADING && !installing();
        }

        /** Whether the box got the Update and has not ended yet: followed to its end even after a cancel. */
        boolean installing() {
            return this == INSTALLING || this == CONFIRMING;
        }

        /** Whether this end state stops the roll-out at the end of the wave. */
        boolean haltsRollout() {
            return this == FAILED || this == ROLLED_BACK;
        }

        static BoxState ofWire(String name) {
            return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown box state " + name));
        }
    }

    /**
     * One box of a roll-out.
     *
     * @param ordinal its place in the roll-out's order (0-based)
     * @param result the last 5/0/5 code read from it; null before any
     * @param fromVersion the 3/0/3 it ran when the download started; null before
     * @param updatedAt when it entered {@code state} (the download and install timeouts count from it)
     */
    record Box(String rolloutId, String endpoint, int ordinal, int wave, BoxState state, Integer result, String detail,
            String fromVersion, Instant updatedAt) {

        Box moved(BoxState to, Integer newResult, String newDetail, Instant at) {
            return new Box(rolloutId, endpoint, ordinal, wave, to, newResult, newDetail, fromVersion, at);
        }

        Box downloading(String version, Instant at) {
            return new Box(rolloutId, endpoint, ordinal, wave, BoxState.DOWNLOADING, null, null, version, at);
        }
    }
}
