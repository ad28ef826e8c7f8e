package cn.callbox.device.announce;

import org.tinylog.Logger;

import cn.callbox.protocol.SoundPriority;

/**
 * Who holds the loudspeaker: the priority of the announcement playing now, so that a routine or drill announcement
 * never cuts into an alarm announcement (the box's own "call is being sent", the hub's alarm call). Shared by the
 * loudspeaker implementations so that they keep the same rule. Each claim gets a token; only the end of the
 * announcement that holds the air time now frees it, so a replaced announcement that ends late frees nothing.
 * Thread-safe.
 */
final class Airtime {

    /** {@link #claim} answer for a refused announcement. */
    static final long REFUSED = -1;

    private SoundPriority holder;
    private long token;

    /**
     * Takes the air time for an announcement of {@code priority} unless one of higher priority holds it.
     *
     * @return the token to {@link #release} when this announcement ends, or {@link #REFUSED} (logged)
     */
    synchronized long claim(SoundPriority priority, String text) {
        if (holder != null && holder.outranks(priority)) {
            Logger.info("Announcement ({}) ignored: an {} announcement is playing: {}", priority.wireName(),
                    holder.wireName(), text);
            return REFUSED;
        }
        holder = priority;
        return ++token;
    }

    /** Frees the air time when the announcement of {@code claimed} ended and nothing has replaced it since. */
    synchronized void release(long claimed) {
        if (claimed == token) {
            holder = null;
        }
    }

    /** Frees the air time whoever holds it: an explicit Stop ends every announcement. */
    synchronized void clear() {
        holder = null;
        token++;
    }
}
