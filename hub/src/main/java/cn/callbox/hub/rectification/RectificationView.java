package cn.callbox.hub.rectification;

import java.util.List;

/**
 * A task as {@code GET /api/rectifications} and the MQTT topic show it. Times ISO-8601 UTC.
 *
 * @param unit unit id
 * @param reason {@code kit-missing}, {@code understaffed}, {@code self-test-failed}, {@code unplanned-access},
 *        {@code box-offline}, {@code tamper}, {@code mains-lost}, {@code low-battery}, {@code clock-skew}
 * @param state {@code open}, {@code notified}, {@code overdue}, {@code rectified}, {@code closed}
 * @param subject item kind, call-box endpoint or duty day; null when the reason says it all
 * @param assignee the unit's duty leader when opened; null when none
 */
record RectificationView(String id, String unit, String reason, String state, String openedAt, String dueAt,
        List<LogView> log, String subject, String assignee, String detail, String note, String evidence) {

    record LogView(String at, String actor, String message) {
    }

    static RectificationView of(Rectification task) {
        return new RectificationView(task.id(), task.unitId(), task.reason().wireName(), task.state().wireName(),
                task.openedAt().toString(), task.dueAt().toString(),
                task.log().stream().map(l -> new LogView(l.at().toString(), l.actor(), l.message())).toList(),
                task.subject(), task.assignee(), task.detail(), task.note(), task.evidence());
    }
}
