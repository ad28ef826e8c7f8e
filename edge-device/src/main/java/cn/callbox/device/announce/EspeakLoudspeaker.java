package cn.callbox.device.announce;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tinylog.Logger;

/**
 * Speaks through {@code espeak-ng -v cmn} on the default audio device (espeak-ng's own output). One announcement at a
 * time, on a worker thread. When espeak-ng is missing or there is no audio device, the first failure is logged and
 * later ones are not; the box carries on.
 */
public final class EspeakLoudspeaker implements Loudspeaker, AutoCloseable {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loudspeaker");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
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
    public synchronized void announce(String text, int repeat) {
        stopLocked();
        lastText = text;
        int times = Math.max(1, repeat);
        current = worker.submit(() -> play(text, times));
    }

    private void play(String text, int times) {
        setPlaying(true);
        try {
            for (int i = 0; i < times && !Thread.currentThread().isInterrupted(); i++) {
                Process started;
                synchronized (this) {
                    // espeak amplitude is 0-200, 100 its default
                    started = new ProcessBuilder(command, "-v", "cmn", "-a", Integer.toString(volume * 2), text)
                            .redirectErrorStream(true).start();
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
