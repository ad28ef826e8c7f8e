package cn.callbox.device.alarm;

import java.time.Instant;

/**
 * One press of the panic button as the hub must learn of it.
 *
 * @param sequence the box's press counter after this press (3347/0/5501), unique for the box's life
 * @param pressedAt when the button was pressed (millisecond precision is kept on disk and on the wire)
 */
public record AlarmRecord(long sequence, Instant pressedAt) {

    /** Keeps milliseconds: what the disk format and SenML time stamps carry, so a record equals itself reloaded. */
    public AlarmRecord {
        pressedAt = pressedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }
}
