package cn.callbox.hub.incident;

import java.time.Instant;

/**
 * One press of a call box's panic button as the box reported it.
 *
 * @param endpoint the box's LwM2M endpoint
 * @param sequence the box's alarm sequence number (3347/0/5501)
 * @param pressedAt when the button was pressed, by the box's clock (a backlog keeps its original times); null when the
 *        box sent no time stamp. With the endpoint and the sequence it identifies the press
 */
public record AlarmRecord(String endpoint, long sequence, Instant pressedAt) {
}
