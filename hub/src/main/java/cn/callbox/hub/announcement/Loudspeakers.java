package cn.callbox.hub.announcement;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Speaks on one call box's loudspeaker and tells how it went (implemented over LwM2M: a WRITE of the text or clip and
 * of the repeat count, then EXECUTE Announce on 33003/0). Unlike the incident path's fire-and-forget commands, the
 * caller learns each box's answer.
 */
public interface Loudspeakers {

    /**
     * Starts the announcement and returns at once; the future completes on a transport thread when the box has
     * answered the last request, or with a failed {@link Delivery} when it refused one, did not answer within
     * {@code timeout} (all requests together), or is not connected. The future never completes exceptionally.
     *
     * @param endpoint the box's LwM2M endpoint
     */
    CompletableFuture<Delivery> announce(String endpoint, Speech speech, Duration timeout);

    /**
     * What to say: exactly one of {@code text} and {@code clip} is set.
     *
     * @param text zh-CN text, at most 200 characters; null when a clip is played
     * @param clip name of a clip shipped with the box's firmware ({@link AnnouncementClips}); null for a text
     * @param repeat how many times, 1-10
     */
    record Speech(String text, String clip, int repeat) {
    }

    /**
     * @param ok the box took every request and started the announcement
     * @param detail {@value #ANNOUNCED} when ok; otherwise {@value #OFFLINE}, {@value #TIMEOUT}, {@value #BUSY} (the
     *        box is playing an alarm or drill announcement, which an ordinary one does not cut into) or what went
     *        wrong
     */
    record Delivery(boolean ok, String detail) {

        public static final String ANNOUNCED = "announced";
        public static final String OFFLINE = "offline";
        public static final String TIMEOUT = "timeout";
        public static final String BUSY = "busy";

        public static Delivery announced() {
            return new Delivery(true, ANNOUNCED);
        }

        public static Delivery failed(String detail) {
            return new Delivery(false, detail);
        }
    }
}
