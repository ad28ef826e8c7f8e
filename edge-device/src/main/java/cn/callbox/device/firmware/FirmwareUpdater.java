package cn.callbox.device.firmware;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.tinylog.Logger;

import cn.callbox.device.firmware.FirmwareSlots.Installed;
import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackage.Manifest;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.State;

/**
 * The box's firmware update state machine (LwM2M object 5, pull only), without Leshan: the hub gives a Package URI,
 * the box downloads it over HTTP(S) into {@code <firmware-dir>/download/} ({@link FirmwareDownload}), checks the signed
 * package ({@link FirmwarePackage#read}) against the trusted keys ({@link PackageVerifier}) and, on Update, installs it
 * into the inactive slot ({@link FirmwareSlots}) and hands over to the restart callback ({@link RestartWhenSilent}).
 *
 * <p>State IDLE → DOWNLOADING → DOWNLOADED → UPDATING; a failure goes back to IDLE with its {@link Result}:
 * bad URI 7, a scheme other than http/https 9, HTTP error, I/O error or timeout 4, disk full or unwritable 2, signature
 * or SHA-256 wrong (or no key trusted) 5, not a package, unsupported format, too large or not {@code callbox-edge} 6,
 * install failed or no firmware folder 8, cancelled 10.
 *
 * <p>Threads: the public methods are called by Leshan threads and return at once; downloads, installs and the wait
 * before the restart run on one daemon thread of their own ({@code callbox-firmware}), one task after the other, so a
 * cancelled download has cleaned up its files before the next one starts. Nothing here touches the alarm path; the
 * restart waits (at most 10 minutes) while the siren sounds. Listeners ({@link #onChange}) run on the thread that
 * changed the state, outside any lock, and must return quickly. Thread-safe.
 */
public final class FirmwareUpdater implements AutoCloseable {

    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(10);
    /** How long a new firmware must stay registered and heartbeating before it is confirmed, unless configured. */
    public static final Duration DEFAULT_CONFIRM_AFTER = Duration.ofMinutes(10);
    /**
     * Set by the wrapper when a rollback is due but {@code current} cannot be switched back (disk full, read-only):
     * its message. The firmware on trial then reports Update Result 8 with it and never confirms itself.
     */
    public static final String ROLLBACK_FAILED_ENV = "CALLBOX_ROLLBACK_FAILED";
    /** The longest an installed firmware waits for a sounding siren before it restarts anyway. */
    static final Duration ALARM_WAIT = Duration.ofMinutes(10);
    static final String PACKAGE_PART = "package.cbfw.part";
    static final String JAR_PART = "callbox-edge.jar.part";

    /**
     * What object 5 shows now.
     *
     * @param packageName name of the downloaded package, or when none is downloaded of the installed one; "" when
     *        unknown
     * @param packageUri the last Package URI written; "" when none
     */
    public record Status(State state, Result result, String packageName, String packageVersion, String packageUri) {
    }

    private final FirmwareSlots slots;
    private final Duration downloadTimeout;
    private final FirmwareDownload httpDownload;
    private final PackageVerifier verifier;
    private final RestartWhenSilent restartWhenSilent;
    private final String runningVersion;
    private final ExecutorService worker;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final HealthyWindow window;
    private final String rollbackFailed;

    // guarded by this
    private State state = State.IDLE;
    private Result result = Result.INITIAL;
    private String uri = "";
    private Installed installed;
    private Manifest downloaded;
    private long attempt;
    private long timedOutAttempt = -1;
    private Future<?> running;
    private boolean onTrial;

    /**
     * Builds the updater and reads the firmware folder: an install interrupted before {@code current} switched is
     * cleared (result 8), a slot on trial shows UPDATING until it has been registered and heartbeating for
     * {@code confirmAfter} ({@link #registered()}, {@link #heartbeat()}), else the Update Result is the last one
     * recorded (so a rollback by the wrapper shows as 8). A trial the wrapper could not roll back
     * ({@value #ROLLBACK_FAILED_ENV} set) shows IDLE with result 8 and is never confirmed.
     *
     * @param firmwareDir the firmware folder the wrapper passed ({@code --firmware-dir}); null when started without
     *        the wrapper: object 5 then refuses every Package URI with result 8
     * @param trusted keys a package must be signed with; empty refuses every package (result 5)
     * @param downloadCas certificates trusted for HTTPS downloads besides the system's CAs; may be empty
     * @param downloadTimeout the longest a whole download may take
     * @param alarmSounding whether an alarm is sounding now (the restart waits while it is)
     * @param restart stops the firmware for the service manager to start the new one; called on the firmware thread
     * @param factoryVersion the version of the jar the Debian package ships
     * @param confirmAfter how long a new firmware must stay registered and heartbeating before it is confirmed
     *        (device configuration {@code firmware.confirm-after-seconds})
     * @param clock times the healthy window
     */
    public FirmwareUpdater(Path firmwareDir, Collection<PublicKey> trusted, List<X509Certificate> downloadCas,
            Duration downloadTimeout, BooleanSupplier alarmSounding, Runnable restart, String factoryVersion,
            Duration confirmAfter, Clock clock) {
        this(firmwareDir, trusted, downloadCas, downloadTimeout, alarmSounding, ALARM_WAIT, Duration.ofSeconds(1),
                restart, factoryVersion, confirmAfter, clock, System.getenv(ROLLBACK_FAILED_ENV));
    }

    /** An updater with the default healthy window ({@link #DEFAULT_CONFIRM_AFTER}) on the system clock. */
    public FirmwareUpdater(Path firmwareDir, Collection<PublicKey> trusted, List<X509Certificate> downloadCas,
            Duration downloadTimeout, BooleanSupplier alarmSounding, Runnable restart, String factoryVersion) {
        this(firmwareDir, trusted, downloadCas, downloadTimeout, alarmSounding, restart, factoryVersion,
                DEFAULT_CONFIRM_AFTER, Clock.systemUTC());
    }

    /** @param rollbackFailed the wrapper's {@value #ROLLBACK_FAILED_ENV}; null or blank when not set */
    FirmwareUpdater(Path firmwareDir, Collection<PublicKey> trusted, List<X509Certificate> downloadCas,
            Duration downloadTimeout, BooleanSupplier alarmSounding, Duration alarmWait, Duration alarmPoll,
            Runnable restart, String factoryVersion, Duration confirmAfter, Clock clock, String rollbackFailed) {
        this.window = new HealthyWindow(confirmAfter, clock);
        this.rollbackFailed = rollbackFailed == null || rollbackFailed.isBlank() ? null : rollbackFailed.strip();
        this.downloadTimeout = downloadTimeout;
        this.httpDownload = new FirmwareDownload(downloadTimeout, downloadCas);
        this.verifier = new PackageVerifier(trusted);
        this.restartWhenSilent = new RestartWhenSilent(alarmSounding, alarmWait, alarmPoll, restart);
        this.worker = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "callbox-firmware");
            thread.setDaemon(true);
            return thread;
        });
        this.slots = openSlots(firmwareDir);
        if (slots != null) {
            try {
                if (slots.clearInterruptedInstall()) {
                    Logger.warn("Firmware: an install was interrupted before it switched slots; Update Result 8");
                }
            } catch (IOException e) {
                Logger.error("Firmware: cannot clear an interrupted install in {}: {}", slots.dir(), e.toString());
            }
            installed = slots.current().orElse(null);
            if (slots.onTrial() && this.rollbackFailed != null) {
                // the wrapper could not go back: say so to the hub, and never confirm this firmware
                result = Result.UPDATE_FAILED;
                Logger.error("Firmware {} should have been rolled back but was not: {}",
                        installed != null ? installed.version() : "?", this.rollbackFailed);
            } else if (slots.onTrial()) {
                state = State.UPDATING;
                onTrial = true;
                Logger.info("Firmware {} is on trial: confirmed once the box has been registered and heartbeating "
                        + "for {} s", installed != null ? installed.version() : "?", confirmAfter.toSeconds());
            } else {
                result = slots.lastResult();
                if (result.failure()) {
                    Logger.warn("Firmware: the last update ended with Update Result {}: {}", result.code(),
                            slots.lastResultMessage());
                }
            }
            deleteDownloads();
            runningVersion = slots.runningVersion(factoryVersion);
        } else {
            runningVersion = factoryVersion;
        }
    }

    private static FirmwareSlots openSlots(Path firmwareDir) {
        if (firmwareDir == null) {
            return null;
        }
        try {
            return new FirmwareSlots(firmwareDir);
        } catch (IOException | RuntimeException e) {
            // the box still raises alarms; it only cannot update itself
            Logger.error("Firmware folder {} cannot be used ({}): updates over the air are refused", firmwareDir,
                    e.toString());
            return null;
        }
    }

    /** The version running now: the current slot's manifest, else the factory version. */
    public String runningVersion() {
        return runningVersion;
    }

    /** Whether this box can install updates (it was started by the wrapper with a usable firmware folder). */
    public boolean canInstall() {
        return slots != null;
    }

    /** Called after each state or result change, see the class comment for the thread. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    public synchronized Status status() {
        String name = "";
        String version = "";
        if (downloaded != null) {
            name = downloaded.name();
            version = downloaded.version();
        } else if (installed != null && (state == State.IDLE || state == State.UPDATING)) {
            name = installed.name();
            version = installed.version();
        }
        return new Status(state, result, name, version, uri);
    }

    /**
     * A Package URI from the hub: "" resets (cancels a download, result INITIAL); anything else (re)starts a download,
     * state DOWNLOADING and result INITIAL before this returns, or ends at once with result 7, 9 or 8.
     *
     * @return why the write is refused (while an update installs); empty when taken
     */
    public Optional<String> packageUri(String text) {
        synchronized (this) {
            if (state == State.UPDATING) {
                return Optional.of("an update is being installed; the Package URI cannot change now");
            }
            stopAttempt();
            uri = text;
            downloaded = null;
            if (text.isEmpty()) {
                Logger.info("Firmware: Package URI cleared; nothing to download");
                state = State.IDLE;
                result = Result.INITIAL;
            } else if (slots == null) {
                Logger.warn("Firmware update refused: updates over the air need the wrapper /usr/bin/callbox-edge "
                        + "(--firmware-dir); this box was started without it");
                state = State.IDLE;
                result = Result.UPDATE_FAILED;
            } else {
                startDownload(text);
            }
        }
        fire();
        return Optional.empty();
    }

    /** Must hold the lock. */
    private void startDownload(String text) {
        URI target;
        try {
            target = FirmwareDownload.target(text);
        } catch (UpdateFailure refused) {
            Logger.warn("Firmware: {}", refused.getMessage());
            state = State.IDLE;
            result = refused.result();
            return;
        }
        long thisAttempt = attempt;
        state = State.DOWNLOADING;
        result = Result.INITIAL;
        Logger.info("Firmware: downloading a package from {}", FirmwareDownload.origin(target));
        try {
            running = worker.submit(() -> download(thisAttempt, target));
        } catch (RejectedExecutionException e) {
            state = State.IDLE;
            result = Result.UPDATE_FAILED;
            return;
        }
        CompletableFuture.delayedExecutor(downloadTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> timeOut(thisAttempt));
    }

    /** Cancel (5/0/10): a download running or done is dropped, result CANCELLED. */
    public Optional<String> cancel() {
        synchronized (this) {
            if (state != State.DOWNLOADING && state != State.DOWNLOADED) {
                return Optional.of("nothing to cancel: no download running or waiting (state " + state + ")");
            }
            stopAttempt();
            downloaded = null;
            state = State.IDLE;
            result = Result.CANCELLED;
            Logger.info("Firmware: download cancelled by the hub");
        }
        fire();
        return Optional.empty();
    }

    /**
     * Update (5/0/2): installs the downloaded package into the inactive slot and then restarts into it, on the
     * firmware thread; state UPDATING before this returns.
     *
     * @return why it is refused (nothing downloaded); empty when the install has started
     */
    public Optional<String> update() {
        synchronized (this) {
            if (state != State.DOWNLOADED || downloaded == null) {
                return Optional.of("nothing downloaded to install (state " + state + "); write the Package URI first");
            }
            Manifest manifest = downloaded;
            long thisAttempt = attempt;
            state = State.UPDATING;
            try {
                running = worker.submit(() -> install(thisAttempt, manifest));
            } catch (RejectedExecutionException e) {
                state = State.DOWNLOADED;
                return Optional.of("the box is shutting down");
            }
        }
        fire();
        return Optional.empty();
    }

    /**
     * The box registered with its hub (a REGISTER, not an update): the healthy window of a slot on trial opens (it is
     * confirmed by a {@link #heartbeat()} once the window is over); an interrupted install is reported (8). Quick (a
     * few small file operations); never throws.
     */
    public void registered() {
        if (slots == null) {
            return;
        }
        synchronized (this) {
            if (state == State.UPDATING && downloaded != null) {
                // an install is writing the trial right now: it is for the next start to confirm
                return;
            }
            if (onTrial) {
                if (!window.open()) {
                    Logger.info("Firmware {} registered; confirmed once it stays registered and heartbeating for {} s",
                            runningVersion, window.length().toSeconds());
                }
                window.registered();
                return;
            }
            if (rollbackFailed != null || !slots.trial().isPresent()) {
                return;
            }
            Optional<Result> ended;
            try {
                ended = slots.endTrial();
            } catch (IOException | RuntimeException e) {
                Logger.error("Firmware: cannot clear an interrupted install in {}: {}", slots.dir(), e.toString());
                return;
            }
            if (ended.isEmpty()) {
                return;
            }
            installed = slots.current().orElse(null);
            result = ended.get();
            Logger.warn("Firmware: an install was interrupted before it switched slots; Update Result {}",
                    result.code());
        }
        fire();
    }

    /**
     * A heartbeat (registration update) got through: a slot on trial that has now been healthy for its whole window is
     * confirmed (Update Result 1; the wrapper then leaves it alone). Quick; never throws.
     */
    public void heartbeat() {
        synchronized (this) {
            if (!onTrial || (state == State.UPDATING && downloaded != null) || !window.heartbeat()) {
                return;
            }
            Optional<Result> ended;
            try {
                ended = slots.endTrial();
            } catch (IOException | RuntimeException e) {
                // the trial stays: the wrapper rolls back at its deadline rather than keep an unconfirmed firmware
                Logger.error("Firmware: cannot confirm the trial in {}: {}", slots.dir(), e.toString());
                return;
            }
            onTrial = false;
            installed = slots.current().orElse(null);
            if (state == State.UPDATING && downloaded == null) {
                state = State.IDLE;
            }
            result = ended.orElse(Result.SUCCESS);
            if (result == Result.SUCCESS) {
                Logger.info("Firmware {} confirmed: registered and heartbeating for {} s", runningVersion,
                        window.length().toSeconds());
            } else {
                Logger.warn("Firmware: the trial was not this slot's; Update Result {}", result.code());
            }
        }
        fire();
    }

    /**
     * The box lost its registration (an update or a registration failed or timed out, or it deregistered): the
     * healthy window of a slot on trial starts again at the next registration. Quick; never throws.
     */
    public void connectionLost() {
        synchronized (this) {
            if (onTrial && window.open()) {
                Logger.warn("Firmware {} on trial lost its hub: the healthy window of {} s starts again",
                        runningVersion, window.length().toSeconds());
            }
            window.lost();
        }
    }

    /** Must hold the lock: the running download (if any) is interrupted, its files and a finished one's deleted. */
    private void stopAttempt() {
        attempt++;
        if (running != null) {
            running.cancel(true);
            running = null;
        }
        if (slots != null) {
            try {
                worker.execute(this::deleteDownloads);
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    private void timeOut(long thisAttempt) {
        synchronized (this) {
            if (thisAttempt != attempt || state != State.DOWNLOADING || running == null) {
                return;
            }
            timedOutAttempt = thisAttempt;
            running.cancel(true);
        }
    }

    /** The download task on the firmware thread: fetch, check, then keep the jar for Update or delete both files. */
    private void download(long thisAttempt, URI target) {
        Path folder;
        try {
            folder = slots.downloadDir();
        } catch (IOException e) {
            fail(thisAttempt, UpdateFailure.storage(e, "cannot make the download folder"));
            return;
        }
        Path packageFile = folder.resolve(PACKAGE_PART);
        Path jarFile = folder.resolve(JAR_PART);
        boolean kept = false;
        UpdateFailure failure = null;
        try {
            httpDownload.fetch(target, packageFile);
            Manifest manifest = verify(packageFile, jarFile);
            Files.deleteIfExists(packageFile);
            kept = downloaded(thisAttempt, manifest);
        } catch (UpdateFailure e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new UpdateFailure(Result.CANCELLED, "interrupted");
        } catch (IOException | RuntimeException e) {
            failure = new UpdateFailure(Result.UPDATE_FAILED, e.toString());
        } finally {
            if (!kept) {
                deleteQuietly(packageFile);
                deleteQuietly(jarFile);
            }
        }
        // reported only once the files are gone: whoever reads IDLE finds nothing of this download left
        if (failure != null) {
            fail(thisAttempt, failure);
        }
    }

    private Manifest verify(Path packageFile, Path jarFile) throws UpdateFailure {
        FirmwarePackage.Verified verified = verifier.verify(packageFile, jarFile);
        Manifest manifest = verified.manifest();
        Logger.info("Firmware: package {} {} downloaded and verified (signed by key {})", manifest.name(),
                manifest.version(), verified.keyId());
        return manifest;
    }

    private boolean downloaded(long thisAttempt, Manifest manifest) {
        synchronized (this) {
            if (thisAttempt != attempt) {
                return false;
            }
            running = null;
            downloaded = manifest;
            state = State.DOWNLOADED;
            result = Result.INITIAL;
        }
        fire();
        return true;
    }

    private void fail(long thisAttempt, UpdateFailure failure) {
        synchronized (this) {
            if (thisAttempt != attempt) {
                // cancelled or replaced: whoever did that has set the state
                return;
            }
            running = null;
            downloaded = null;
            state = State.IDLE;
            if (timedOutAttempt == thisAttempt) {
                result = Result.CONNECTION_LOST;
                Logger.warn("Firmware download failed: it took longer than {} s", downloadTimeout.toMillis() / 1000.0);
            } else {
                result = failure.result();
                Logger.warn("Firmware download failed (Update Result {}): {}", result.code(), failure.getMessage());
            }
        }
        fire();
    }

    private void install(long thisAttempt, Manifest manifest) {
        String slot;
        try {
            Path jar = slots.downloadDir().resolve(JAR_PART);
            slot = slots.install(jar, manifest);
        } catch (IOException | RuntimeException e) {
            UpdateFailure failure = e instanceof IOException io ? UpdateFailure.storage(io, "install failed")
                    : new UpdateFailure(Result.UPDATE_FAILED, "install failed: " + e);
            try {
                slots.clearInterruptedInstall();
                slots.writeResult(failure.result(), failure.getMessage());
            } catch (IOException again) {
                Logger.warn("Firmware: cannot record the failed install: {}", again.toString());
            }
            synchronized (this) {
                running = null;
                downloaded = null;
                state = State.IDLE;
                result = failure.result();
            }
            Logger.error("Firmware {} not installed (Update Result {}): {}", manifest.version(),
                    failure.result().code(), failure.getMessage());
            deleteDownloads();
            fire();
            return;
        }
        Logger.info("Firmware {} installed into slot {}; on trial until it has stayed registered and healthy for {} s",
                manifest.version(), slot, window.length().toSeconds());
        // an alarm beats an update: while the siren sounds, the restart waits (at most ALARM_WAIT)
        restartWhenSilent.restartInto(manifest.version());
    }

    private void deleteDownloads() {
        Path folder = slots.dir().resolve(FirmwareSlots.DOWNLOAD);
        try {
            FirmwareSlots.deleteContents(folder);
        } catch (IOException e) {
            Logger.warn("Firmware: cannot clean {}: {}", folder, e.toString());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Logger.warn("Firmware: cannot delete {}: {}", file, e.toString());
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                Logger.warn("Firmware listener failed: {}", e.toString());
            }
        }
    }

    /** Stops the firmware thread (a running download is dropped). */
    @Override
    public void close() {
        worker.shutdownNow();
    }
}
