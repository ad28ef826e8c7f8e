package cn.callbox.device.announce;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tinylog.Logger;

import cn.callbox.protocol.SoundPriority;

/**
 * Speaks through {@code espeak-ng -v cmn-latn-pinyin} ({@link #VOICE}) on the default audio device (espeak-ng's own
 * output). One announcement at a time, on a worker thread; priorities as {@link Airtime} says. When espeak-ng is
 * missing or there is no audio device, the first failure is logged and later ones are not; the box carries on.
 */
public final class EspeakLoudspeaker implements Loudspeaker, AutoCloseable {

    /**
     * espeak-ng's Mandarin voice that reads Chinese characters as Mandarin. Its sibling {@code cmn} (1.51, Debian 12)
     * reads most characters with English phonemes ("后山" becomes "hou four shan one"); {@code SpokenTextsTest}
     * checks every shipped text with this voice.
     */
    public static final String VOICE = "cmn-latn-pinyin";

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loudspeaker");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private final Airtime airtime = new Airtime();
    private final String command;
    private volatile boolean playing;
    private volatile String lastText;
    private volatile int volume = 80;
    private Future<?> current;
    private Process process;

    /** @param command the espeak-ng executable, normally {@code espeak-ng} from the PATH */
    public EspeakLoudspeaker(String command) {
        this.command = command;
    }

    @Override
    public synchronized boolean announce(String text, int repeat, SoundPriority priority) {
        long claim = airtime.claim(priority, text);
        if (claim == Airtime.REFUSED) {
            return false;
        }
        stopLocked();
        lastText = text;
        int times = Math.max(1, repeat);
        current = worker.submit(() -> {
            try {
                play(text, times);
            } finally {
                airtime.release(claim);
            }
        });
        return true;
    }

    /** The espeak-ng call that says {@code text}; "--" so that a text starting with "-" is not read as an option. */
    static List<String> commandLine(String command, int volume, String text) {
        // espeak amplitude is 0-200, 100 its default
        return List.of(command, "-v", VOICE, "-a", Integer.toString(volume * 2), "--", text);
    }

    private void play(String text, int times) {
        setPlaying(true);
        try {
            for (int i = 0; i < times && !Thread.currentThread().isInterrupted(); i++) {
                Process started;
                synchronized (this) {
                    started = new ProcessBuilder(commandLine(command, volume, text)).redirectErrorStream(true)
                            .start();
                    process = started;
                }
                started.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                int exit = started.waitFor();
                if (exit != 0) {
                    failedOnce("espeak-ng exited with status " + exit + " (no audio device?)");
                    break;
                }
            }
        } catch (IOException e) {
            failedOnce("cannot run " + command + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            setPlaying(false);
        }
    }

    private void failedOnce(String problem) {
        if (failureLogged.compareAndSet(false, true)) {
            Logger.warn("Loudspeaker unavailable, announcements are skipped: {}", problem);
        }
    }

    @Override
    public synchronized void stop() {
        airtime.clear();
        stopLocked();
    }

    private void stopLocked() {
        if (current != null) {
            current.cancel(true);
        }
        if (process != null) {
            process.destroy();
        }
    }

    private void setPlaying(boolean now) {
        playing = now;
        listeners.forEach(Runnable::run);
    }

    @Override
    public boolean isPlaying() {
        return playing;
    }

    @Override
    public String lastText() {
        return lastText;
    }

    @Override
    public void setVolume(int percent) {
        volume = Math.max(0, Math.min(100, percent));
    }

    @Override
    public int volume() {
        return volume;
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        stop();
        worker.shutdownNow();
    }
}
