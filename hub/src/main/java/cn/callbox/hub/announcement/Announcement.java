package cn.callbox.hub.announcement;

import java.time.Instant;
import java.util.List;

/**
 * One broadcast as sent: what was said, by whom, and each box's answer.
 *
 * @param requestedBy the user name, or {@code schedule:<name>} for a scheduled run
 * @param text zh-CN text; null when a clip was played
 * @param clip clip name; null when a text was said
 * @param results one per box reached, ordered by endpoint
 */
record Announcement(String id, Instant at, String requestedBy, String text, String clip, int repeat,
        List<Result> results) {

    Announcement {
        results = List.copyOf(results);
    }

    /** @param detail {@code announced}, {@code offline}, {@code timeout} or the box's refusal */
    record Result(String endpoint, boolean ok, String detail) {
    }

    /** The JSON of the API and the console feed; {@code at} is ISO-8601 UTC. */
    record View(String id, String text, String clip, int repeat, String requestedBy, String at,
            List<Result> results) {

        static View of(Announcement a) {
            return new View(a.id(), a.text(), a.clip(), a.repeat(), a.requestedBy(), a.at().toString(),
                    a.results());
        }
    }
}
