package cn.callbox.hub.incident;

import java.time.Instant;

/**
 * One press of a call box's panic button as the box reported it.
 *
 * @param endpoint the box's LwM2M endpoint
 * @param sequence the box's alarm sequence number (3347/0/5501); with the endpoint, the dedup key of an incident
 * @param pressedAt when the button was pressed, by the box's clock (a backlog keeps its original times)
 */
public record AlarmRecord(String endpoint, long sequence, Instant pressedAt) {
}
