package cn.callbox.hub.device;

import java.util.Objects;

import cn.callbox.protocol.WireName;

/**
 * What an operator can make a call box do from the console, one request at a time, waiting for the box's answer
 * (unlike the fire-and-forget commands of dispatch). Implemented by the LwM2M adapter. Thread-safe.
 */
public interface CallBoxActions {

    /**
     * Runs {@code action} on the box and blocks until the box answers or the adapter's timeout (about 10 s) passes.
     * Never throws for a box that refuses, stays silent or is not registered: the outcome says so.
     *
     * @param text the announcement text for {@link Action#ANNOUNCE} (checked by the caller); ignored otherwise
     * @return never null
     */
    Outcome run(String endpoint, Action action, String text);

    /** The actions, by wire name: {@code siren-test}, {@code stop-siren}, {@code announce}, {@code reboot}. */
    enum Action implements WireName {
        /** Siren START with pattern {@code test} for {@link #SIREN_TEST_SECONDS} s (33002/0/3). */
        SIREN_TEST,
        /** Siren STOP (33002/0/4). */
        STOP_SIREN,
        /** WRITE of the text to 33003/0/1, then EXECUTE Announce 33003/0/4. */
        ANNOUNCE,
        /** EXECUTE Reboot 3/0/4; the box answers before it restarts. */
        REBOOT;

        /** How long a siren test sounds. */
        public static final int SIREN_TEST_SECONDS = 5;

        @Override
        public String wireName() {
            return WireName.of(this);
        }
    }

    /** How an action ended. */
    enum Result {
        /** The box carried it out. */
        OK,
        /** The box answered with an error code. */
        REFUSED,
        /**
         * The box is sounding something of higher priority (a villager's alarm, a drill) and kept sounding it rather
         * than carry out this lower one, e.g. a siren test; it answered 4.12 Precondition Failed. Not a fault.
         */
        BUSY,
        /** The box did not answer in time (or the request could not be sent). */
        NO_ANSWER,
        /** The box is not registered with the hub: nothing was sent. */
        OFFLINE
    }

    /**
     * @param code the CoAP response code of the box's last answer by name, e.g. {@code CHANGED}, {@code NOT_FOUND};
     *        null when no answer came
     * @param message what happened, for people (English); never null
     */
    record Outcome(Result result, String code, String message) {

        public Outcome {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(message, "message");
        }

        public boolean ok() {
            return result == Result.OK;
        }
    }
}
