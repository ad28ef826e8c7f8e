package cn.callbox.hub.incident;

import java.util.Arrays;
import java.util.stream.Collectors;

import cn.callbox.protocol.WireName;

/** What a duty leader reports from the scene ({@code POST /api/incidents/{id}/reports}, field {@code status}). */
enum ReportStatus implements WireName {
    ON_SCENE(LogType.ON_SCENE),
    NEEDS_POLICE(LogType.NEEDS_POLICE),
    NEEDS_AMBULANCE(LogType.NEEDS_AMBULANCE),
    RESOLVED(LogType.RESOLVED),
    FALSE_ALARM(LogType.FALSE_ALARM);

    private final LogType logType;

    ReportStatus(LogType logType) {
        this.logType = logType;
    }

    @Override
    public String wireName() {
        return WireName.of(this);
    }

    LogType logType() {
        return logType;
    }

    /** The wire names, comma separated, for error messages. */
    static String allowed() {
        return Arrays.stream(values()).map(ReportStatus::wireName).collect(Collectors.joining(", "));
    }
}
