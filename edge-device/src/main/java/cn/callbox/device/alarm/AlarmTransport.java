package cn.callbox.device.alarm;

/** Carries alarm records to the hub (LwM2M Send in production). */
public interface AlarmTransport {

    /** Whether a send can be tried now (registered with the hub). */
    boolean isReady();

    /**
     * Sends one record and waits for the hub's answer.
     *
     * @return true only when the hub acknowledged the record (then it may leave the outbox); false for any failure,
     *         which means "retry later"
     */
    boolean send(AlarmRecord record) throws InterruptedException;
}
