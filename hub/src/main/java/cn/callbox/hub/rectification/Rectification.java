package cn.callbox.hub.rectification;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import cn.callbox.hub.rectification.RectificationTasks.Reason;

/**
 * One rectification task as stored. Immutable; changes make a new value ({@code with...}).
 *
 * @param subject item kind, call-box endpoint or duty day (ISO date); null when the reason says it all
 * @param detail one line for people, zh-CN
 * @param assignee the unit's duty leader when opened; null when it had none
 * @param note the unit's rectification note; null until rectified by hand
 * @param evidence what the unit offers as proof (photo reference, text); null until rectified by hand
 * @param log every step, oldest first
 */
record Rectification(String id, String unitId, Reason reason, String subject, RectificationState state, String detail,
        String assignee, Instant openedAt, Instant dueAt, String note, String evidence, List<LogLine> log) {

    Rectification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(unitId, "unitId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        log = List.copyOf(log);
    }

    /** @param actor user name, or {@link #HUB} */
    record LogLine(Instant at, String actor, String message) {
    }

    /** The actor of what the hub does by itself. */
    static final String HUB = "hub";
}
