package cn.callbox.device.selftest;

import java.util.Optional;

/**
 * Checks the box's speech chain without making a sound: the synthesiser renders a text to a file and the sound card is
 * there. Implementations may take a few seconds and run external programs; call off the alarm path.
 */
@FunctionalInterface
public interface SpeechCheck {

    /** The chain of the simulated loudspeaker, which synthesises nothing: there is nothing to check. */
    SpeechCheck NOTHING_TO_CHECK = Optional::empty;

    /** @return what is wrong, in one line for the log; empty when the chain works */
    Optional<String> problem();
}
