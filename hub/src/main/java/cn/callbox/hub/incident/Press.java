package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One press of a panic button as the hub recorded it. Several presses may belong to one incident (a frightened
 * villager presses again and again while help is on its way).
 *
 * @param sequence the box's press counter (3347/0/5501)
 * @param reportedAt the press time the box reported; with the box and the sequence it identifies the press, so that a
 *        box whose counter restarted is still heard. Null when the box sent no time stamp
 * @param pressedAt the press time the hub keeps: the reported one, or the hub's time when none was reported or it
 *        was implausible
 * @param recordedAt when the hub recorded the press
 */
record Press(long sequence, Instant reportedAt, Instant pressedAt, Instant recordedAt) {

    Press {
        Objects.requireNonNull(pressedAt, "pressedAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    /** Whether the hub kept another time than the box reported (none reported, or implausible). */
    boolean timeReplaced() {
        return !pressedAt.equals(reportedAt);
    }
}
