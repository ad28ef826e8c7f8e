package cn.callbox.hub.supervision;

import java.time.Instant;

/** What locker supervision asks of the incident service (an adapter over {@code IncidentService}). */
interface IncidentLink {

    /** Whether the unit was alerted for an incident that is still open. */
    boolean hasOpenIncidentFor(String unitId);

    /** Logs the muster ("locker opened N s after the alert") on the unit's open incidents. */
    void recordMuster(String unitId, Instant openedAt);
}
