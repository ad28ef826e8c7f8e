package cn.callbox.hub.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How far a call box's clock is from the hub's, measured by reading the box's Device Current Time (3/0/13) and timing
 * the request on the hub's clock.
 * <p>
 * The box answers somewhere within the round trip; the best guess is its middle. Current Time is whole seconds (LwM2M
 * time is seconds since the epoch, the fraction is cut off), so the box's instant lies within the second it reports:
 * its middle, half a second later, is taken. Hence {@code offset = boxTime + 0.5 s − (sentAt + receivedAt) / 2}, and
 * the true offset lies within {@code ±(0.5 s + roundTrip / 2)} of it: about a second on a healthy link, more when CoAP
 * had to retransmit. That is plenty to tell a box that lost its time (minutes, hours, years) from one kept by NTP, and
 * nothing finer should be read into it.
 *
 * @param offset box time − hub time; positive when the box's clock runs ahead
 * @param uncertainty half the width of the interval the true offset lies in
 * @param measuredAt the hub's time when the answer arrived
 */
public record ClockOffset(Duration offset, Duration uncertainty, Instant measuredAt) {

    /** Current Time's resolution. */
    static final Duration RESOLUTION = Duration.ofSeconds(1);

    public ClockOffset {
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(uncertainty, "uncertainty");
        Objects.requireNonNull(measuredAt, "measuredAt");
    }

    /**
     * The offset from one read of the box's Current Time.
     *
     * @param boxTime the box's Current Time as read (whole seconds)
     * @param sentAt the hub's time when the read was sent
     * @param receivedAt the hub's time when the answer arrived; not before {@code sentAt}
     * @throws IllegalArgumentException when the answer came before the request (the hub's clock stepped back): the
     *         round trip cannot be timed
     */
    public static ClockOffset measure(Instant boxTime, Instant sentAt, Instant receivedAt) {
        Objects.requireNonNull(boxTime, "boxTime");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Duration roundTrip = Duration.between(sentAt, receivedAt);
        if (roundTrip.isNegative()) {
            throw new IllegalArgumentException("the answer (" + receivedAt + ") came before the request (" + sentAt
                    + "): the hub's clock stepped back");
        }
        Instant midpoint = sentAt.plus(roundTrip.dividedBy(2));
        Instant boxMiddle = boxTime.plus(RESOLUTION.dividedBy(2));
        return new ClockOffset(Duration.between(midpoint, boxMiddle), RESOLUTION.dividedBy(2).plus(
                roundTrip.dividedBy(2)), receivedAt);
    }

    /**
     * The offset to the nearest whole second, the precision it has. An offset of exactly half a second (a box that
     * answered within the same millisecond, as only in tests) goes to the even neighbour, so that no side is favoured.
     */
    public long seconds() {
        return (long) Math.rint(offset.toMillis() / 1000.0);
    }

    /** The box's clock is further than {@code bound} from the hub's, ahead or behind. */
    public boolean beyond(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        return offset.abs().compareTo(bound) > 0;
    }

    @Override
    public String toString() {
        return (offset.isNegative() ? "" : "+") + offset.toMillis() / 1000.0 + " s ±" + uncertainty.toMillis() / 1000.0
                + " s";
    }
}
