package cn.callbox.hub.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an incident's append-only log.
 *
 * @param at hub time of the entry
 * @param unit the unit concerned; null when none
 * @param member the member concerned; null when none
 * @param text what happened, in English (the command centre's log; the console may translate types)
 */
record LogEntry(Instant at, LogType type, String unit, String member, String text) {

    LogEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        text = text == null ? "" : text;
    }
}
