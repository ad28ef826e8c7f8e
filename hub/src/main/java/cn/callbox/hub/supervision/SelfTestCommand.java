package cn.callbox.hub.supervision;

import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a call box's self-test (EXECUTE 33000/0/3) and reads its result (Device 3/0/11 Error Code). Implemented by the
 * LwM2M adapter.
 */
public interface SelfTestCommand {

    /** Whether a villager may hear the test. */
    enum Mode {
        /** The box measures its parts and makes no sound: the daily run and the default. */
        SILENT,
        /** The box also announces the test and then sounds its siren's test pattern: only when asked for. */
        AUDIBLE
    }

    /**
     * Starts the self-test and returns at once. {@code done} is called exactly once, on a transport thread: with the
     * box's result, or with a failed outcome saying why there is none (box not registered, refused, no answer).
     */
    void runSelfTest(String endpoint, Mode mode, Consumer<SelfTestOutcome> done);

    /** The silent self-test. */
    default void runSelfTest(String endpoint, Consumer<SelfTestOutcome> done) {
        runSelfTest(endpoint, Mode.SILENT, done);
    }

    /**
     * What a self-test found.
     *
     * @param passed every check passed
     * @param faults the failed checks' wire names (e.g. {@code siren-relay}, {@code loudspeaker}, {@code tamper},
     *        {@code current-sensor}, {@code speech}, {@code no-answer}); empty when passed
     */
    record SelfTestOutcome(boolean passed, List<String> faults) {

        public SelfTestOutcome {
            faults = List.copyOf(faults);
        }

        public static SelfTestOutcome failed(String fault) {
            return new SelfTestOutcome(false, List.of(fault));
        }
    }
}
