package cn.callbox.device.firmware;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.tinylog.Logger;

/**
 * Hands an installed firmware over to the restart callback once the siren is silent: an alarm beats an update, so
 * while the siren sounds the restart waits, polling, at most a given time and then restarts anyway.
 */
final class RestartWhenSilent {

    private final BooleanSupplier alarmSounding;
    private final Duration longestWait;
    private final Duration poll;
    private final Runnable restart;

    /**
     * @param alarmSounding whether an alarm is sounding now
     * @param longestWait the longest the restart waits for a sounding siren
     * @param poll how often the siren is asked while it sounds
     * @param restart stops the firmware for the service manager to start the new one
     */
    RestartWhenSilent(BooleanSupplier alarmSounding, Duration longestWait, Duration poll, Runnable restart) {
        this.alarmSounding = alarmSounding;
        this.longestWait = longestWait;
        this.poll = poll;
        this.restart = restart;
    }

    /**
     * Waits for silence, then calls the restart callback on the calling thread (the firmware thread). An interrupt
     * while waiting returns without a restart.
     *
     * @param version the installed firmware's version, for the log
     */
    void restartInto(String version) {
        try {
            waitForSilence();
        } catch (InterruptedException e) {
            // the box is shutting down anyway; the wrapper starts the new slot next time
            Logger.info("Firmware: restart into {} left to the next start", version);
            return;
        }
        Logger.warn("Firmware: restarting into {}", version);
        restart.run();
    }

    private void waitForSilence() throws InterruptedException {
        long deadline = System.nanoTime() + longestWait.toNanos();
        boolean told = false;
        while (alarmSounding.getAsBoolean() && System.nanoTime() < deadline) {
            if (!told) {
                Logger.warn("Firmware: the siren is sounding; the restart waits until it stops (at most {} s)",
                        longestWait.toSeconds());
                told = true;
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
