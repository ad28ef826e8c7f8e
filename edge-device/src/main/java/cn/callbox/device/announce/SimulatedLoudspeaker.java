package cn.callbox.device.announce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import cn.callbox.device.time.Scheduler;
import cn.callbox.protocol.SoundPriority;

/**
 * A loudspeaker without sound for {@code --simulate}: it logs the text, remembers it and counts as playing for the
 * time the text would take to say (about four Chinese syllables a second). Priorities as the real one
 * ({@link Airtime}).
 */
public final class SimulatedLoudspeaker implements Loudspeaker {

    static final Duration PER_CHARACTER = Duration.ofMillis(250);

    private final Scheduler scheduler;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Airtime airtime = new Airtime();
    private boolean playing;
    private String lastText;
    private int volume = 80;
    private long run;
    private Scheduler.Cancellable pending = () -> {
    };

    public SimulatedLoudspeaker(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** How long saying {@code text} {@code repeat} times takes. */
    public static Duration estimate(String text, int repeat) {
        return PER_CHARACTER.multipliedBy((long) text.codePointCount(0, text.length()) * Math.max(1, repeat));
    }

    @Override
    public boolean announce(String text, int repeat, SoundPriority priority) {
        synchronized (this) {
            long claim = airtime.claim(priority, text);
            if (claim == Airtime.REFUSED) {
                return false;
            }
            pending.cancel();
            long thisRun = ++run;
            lastText = text;
            playing = true;
            Logger.info("Loudspeaker (simulated) says x{} ({}): {}", Math.max(1, repeat), priority.wireName(), text);
            pending = scheduler.schedule(estimate(text, repeat), () -> {
                synchronized (this) {
                    if (run != thisRun) {
                        return;
                    }
                    playing = false;
                    airtime.release(claim);
                }
                fireChange();
            });
        }
        fireChange();
        return true;
    }

    @Override
    public void stop() {
        synchronized (this) {
            run++;
            pending.cancel();
            airtime.clear();
            if (!playing) {
                return;
            }
            playing = false;
        }
        fireChange();
    }

    @Override
    public synchronized boolean isPlaying() {
        return playing;
    }

    @Override
    public synchronized String lastText() {
        return lastText;
    }

    @Override
    public synchronized void setVolume(int percent) {
        volume = Math.max(0, Math.min(100, percent));
    }

    @Override
    public synchronized int volume() {
        return volume;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void fireChange() {
        listeners.forEach(Runnable::run);
    }
}
