package cn.callbox.hub.device;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import cn.callbox.protocol.ItemKind;

/**
 * What the LwM2M adapter learns about call boxes, fed into {@link CallBoxPresence}. Thread-safe; methods return
 * quickly. Every method that changes what is known publishes the box's status.
 */
public interface PresenceUpdates {

    /** The box registered (or registered again): online, seen at {@code at}; what it promised is kept as it was. */
    void registered(String endpoint, Instant at);

    /**
     * The box registered (or registered again, or updated its registration): online, seen at {@code at}, and from now
     * on supervised by what it promised ({@link #offlineIfSilent(Instant, Function)}).
     */
    void registered(String endpoint, Instant at, Liveness liveness);

    /** The box updated its registration or sent a notification: online, seen at {@code at}. */
    void seen(String endpoint, Instant at);

    /** The box deregistered, or its registration expired: offline. {@code lastSeen} is kept. */
    void offline(String endpoint);

    /**
     * Supervision: every online box last heard before {@code heardBefore} (no registration, update or notification
     * since) goes offline, as {@link #offline} does. A box heard at or after {@code heardBefore} is left alone, even
     * when it is heard while this runs.
     *
     * @return the endpoints that went offline now, in no order
     */
    default List<String> offlineIfSilent(Instant heardBefore) {
        return offlineIfSilent(heardBefore, liveness -> Duration.ZERO);
    }

    /**
     * Supervision: every online box silent for longer than its own bound goes offline, as {@link #offline} does: last
     * heard before {@code now} minus {@code silenceBound} of what it promised ({@link Liveness#UNKNOWN} when it
     * registered without saying). A box heard while this runs stays online.
     *
     * @return the endpoints that went offline now, in no order
     */
    List<String> offlineIfSilent(Instant now, Function<Liveness, Duration> silenceBound);

    /**
     * Supervision: every offline box last heard before {@code heardBefore} has now been silent longer than the grace
     * for dropouts; each is told to {@link PresenceListener#offlineLasting} once per silence (a box heard again starts
     * anew).
     *
     * @return the endpoints whose silence became lasting now, in no order
     */
    List<String> offlineLasting(Instant heardBefore);

    /** The box's siren (33002/0/0) as reported at {@code at}. */
    void sirenSounding(String endpoint, boolean sounding, Instant at);

    /** The locker door switch (33000/0/0) as reported at {@code at}. */
    void doorOpen(String endpoint, boolean open, Instant at);

    /** How many items of {@code kind} are in the locker (33001/x/1) as reported at {@code at}. */
    void itemsPresent(String endpoint, ItemKind kind, int present, Instant at);

    /** The enclosure's tamper switch (33000/0/2) as reported at {@code at}: true while the enclosure is open. */
    void tamper(String endpoint, boolean tampered, Instant at);

    /** Whether AC mains is among the box's available power sources (Device 3/0/6) as reported at {@code at}. */
    void onMains(String endpoint, boolean onMains, Instant at);

    /** The box's battery level in percent (Device 3/0/9) as reported at {@code at}. */
    void batteryLevel(String endpoint, int percent, Instant at);

    /**
     * The box's clock offset, just measured. Changes nothing else that is known of the box (it was heard by the
     * registration or update that led to the measurement) and publishes no status: the status topic does not carry it.
     */
    void clockOffset(String endpoint, ClockOffset offset);
}
