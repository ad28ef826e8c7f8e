package cn.callbox.hub.firmware;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.RandomIds;

/**
 * Firmware roll-outs as the REST API sees them: start one (one at a time), list, show, cancel. The boxes are driven by
 * {@link RolloutEngine}. Starts are audited {@code firmware-rollout}, cancels {@code firmware-rollout-cancel}; every
 * change is published to the console as {@code firmware-rollout} (the summary, to admins only). A refused request
 * changes nothing. Thread-safe.
 */
final class RolloutService {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutService.class);

    /** Console event of every roll-out change. */
    static final String EVENT = "firmware-rollout";
    static final int DEFAULT_WAVE_SIZE = 5;
    static final int MAX_WAVE_SIZE = 100;
    /** How many roll-outs {@link #list()} returns at most. */
    static final int LIST_LIMIT = 100;

    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd")
            .withZone(ZoneOffset.UTC);

    private final JdbcRolloutStore store;
    private final RolloutEngine engine;
    private final FirmwareCatalog catalog;
    private final Supplier<TownshipDirectory> directory;
    private final FirmwareProperties settings;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final Clock clock;
    private final Random random;

    /**
     * @param directory looked up on the first start (the enrolled boxes)
     * @param feed may be null: nothing is published
     */
    RolloutService(JdbcRolloutStore store, RolloutEngine engine, FirmwareCatalog catalog,
            Supplier<TownshipDirectory> directory, FirmwareProperties settings, AuditTrail audit, ConsoleFeed feed,
            Clock clock, Random random) {
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = feed;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    RolloutService(JdbcRolloutStore store, RolloutEngine engine, FirmwareCatalog catalog,
            Supplier<TownshipDirectory> directory, FirmwareProperties settings, AuditTrail audit, ConsoleFeed feed,
            Clock clock) {
        this(store, engine, catalog, directory, settings, audit, feed, clock, new SecureRandom());
    }

    // ------------------------------------------------------------------ errors

    /** No such roll-out (404). */
    static final class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    /** No such firmware package (404). */
    static final class FirmwareNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FirmwareNotFoundException(String message) {
            super(message);
        }
    }

    /** A request the roll-out rules refuse (422). */
    static final class InvalidException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidException(String message) {
            super(message);
        }
    }

    /** Another roll-out is running (409). */
    static final class RunningException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunningException(String message) {
            super(message);
        }
    }

    /** The roll-out is not running (409). */
    static final class NotRunningException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotRunningException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ views

    /**
     * One box of a roll-out as the API shows it.
     *
     * @param result the last 5/0/5 code read, null before any
     * @param updatedAt ISO-8601 UTC, when the box entered its state
     */
    record BoxView(String endpoint, int wave, String state, Integer result, String detail, String fromVersion,
            String updatedAt) {

        static BoxView of(Rollout.Box box) {
            return new BoxView(box.endpoint(), box.wave(), box.state().wireName(), box.result(), box.detail(),
                    box.fromVersion(), box.updatedAt().toString());
        }
    }

    /**
     * A roll-out with its boxes ({@code GET /api/firmware/rollouts/{id}}).
     *
     * @param counts per box state (wire names, every state present)
     */
    record RolloutView(String id, String firmware, String version, String state, int waveSize, int wave, int waves,
            String createdAt, String createdBy, String endedAt, String detail, Map<String, Integer> counts,
            List<BoxView> boxes) {
    }

    /** A roll-out without its boxes ({@code GET /api/firmware/rollouts} and console events). */
    record RolloutSummary(String id, String firmware, String version, String state, int waveSize, int wave, int waves,
            String createdAt, String createdBy, String endedAt, String detail, Map<String, Integer> counts) {

        static RolloutSummary of(Rollout r, Map<Rollout.BoxState, Integer> counts) {
            return new RolloutSummary(r.id(), r.firmwareId(), r.version(), r.state().wireName(), r.waveSize(),
                    r.wave(), r.waves(), r.createdAt().toString(), r.createdBy(), text(r.endedAt()), r.detail(),
                    wireCounts(counts));
        }
    }

    static RolloutView view(Rollout r, List<Rollout.Box> boxes) {
        return new RolloutView(r.id(), r.firmwareId(), r.version(), r.state().wireName(), r.waveSize(), r.wave(),
                r.waves(), r.createdAt().toString(), r.createdBy(), text(r.endedAt()), r.detail(),
                wireCounts(count(boxes)), boxes.stream().map(BoxView::of).toList());
    }

    static Map<Rollout.BoxState, Integer> count(List<Rollout.Box> boxes) {
        Map<Rollout.BoxState, Integer> counts = new EnumMap<>(Rollout.BoxState.class);
        boxes.forEach(b -> counts.merge(b.state(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> wireCounts(Map<Rollout.BoxState, Integer> counts) {
        Map<String, Integer> wire = new LinkedHashMap<>();
        for (Rollout.BoxState state : Rollout.BoxState.values()) {
            wire.put(state.wireName(), counts == null ? 0 : counts.getOrDefault(state, 0));
        }
        return wire;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    // ------------------------------------------------------------------ calls

    /**
     * Starts a roll-out of the package to the boxes, in waves of {@code waveSize}.
     *
     * @param endpoints the boxes in the order they are updated; null: every enrolled box that is not retired, by
     *        endpoint
     * @param waveSize null: {@value #DEFAULT_WAVE_SIZE}
     * @param requestBaseUrl scheme, host and port the request came in on; the Package URI starts with it unless
     *        {@code callbox.firmware.download-base-url} is set
     * @throws InvalidException no package named, a wave size outside 1..100, an empty list, an unknown, retired or
     *         repeated endpoint
     * @throws FirmwareNotFoundException the package is not in the catalog
     * @throws RunningException another roll-out is running
     */
    RolloutView start(String firmwareId, List<String> endpoints, Integer waveSize, String requestBaseUrl,
            String actor) {
        if (firmwareId == null || firmwareId.isBlank()) {
            throw new InvalidException("'firmware' (the id of an uploaded package) is required");
        }
        StoredFirmware firmware = catalog.find(firmwareId.strip()).orElseThrow(() -> new FirmwareNotFoundException(
                "no firmware package '" + firmwareId.strip() + "'"));
        int size = waveSize == null ? DEFAULT_WAVE_SIZE : waveSize;
        if (size < 1 || size > MAX_WAVE_SIZE) {
            throw new InvalidException("'waveSize' must be between 1 and " + MAX_WAVE_SIZE + ", not " + size);
        }
        List<String> targets = targets(endpoints);
        store.running().ifPresent(r -> {
            throw new RunningException("roll-out " + r.id() + " of " + r.version() + " is running: cancel it or "
                    + "wait until it ends");
        });
        Instant now = clock.instant();
        String id = "FWR-" + ID_DATE.format(now) + "-" + RandomIds.base32(random, 6);
        int waves = (targets.size() + size - 1) / size;
        Rollout rollout = new Rollout(id, firmware.id(), firmware.version(),
                downloadBase(requestBaseUrl) + FirmwareCatalog.downloadPath(firmware), Rollout.State.RUNNING, size, 1,
                waves, now, now, actor, null, null);
        List<Rollout.Box> boxes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            boxes.add(new Rollout.Box(id, targets.get(i), i, i / size + 1, Rollout.BoxState.PENDING, null, null, null,
                    now));
        }
        if (!store.insert(rollout, boxes)) {
            throw new RunningException("another roll-out was started at the same moment");
        }
        LOG.info("Firmware roll-out {} started by {}: package {} version {}, {} boxes in {} waves of {}", id, actor,
                firmware.id(), firmware.version(), boxes.size(), waves, size);
        audit.record(actor, "firmware-rollout", id, "package " + firmware.id() + " version " + firmware.version() + ", "
                + boxes.size() + " boxes, wave size " + size);
        publish(rollout, boxes);
        return view(rollout, boxes);
    }

    private List<String> targets(List<String> endpoints) {
        TownshipDirectory boxes = directory.get();
        if (endpoints == null) {
            List<String> all = boxes.callBoxes().stream().map(TownshipDirectory.CallBoxInfo::endpoint).sorted()
                    .toList();
            if (all.isEmpty()) {
                throw new InvalidException("no enrolled call box to update");
            }
            return all;
        }
        if (endpoints.isEmpty()) {
            throw new InvalidException("'endpoints' is empty: name at least one call box, or leave it out for all");
        }
        Set<String> seen = new HashSet<>();
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        List<String> targets = new ArrayList<>();
        for (String endpoint : endpoints) {
            String name = endpoint == null ? "" : endpoint.strip();
            if (!seen.add(name)) {
                repeated.add(name);
            } else if (name.isEmpty() || boxes.callBox(name).isEmpty()) {
                unknown.add(name);
            } else {
                targets.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidException("unknown or retired call boxes: " + String.join(", ", unknown));
        }
        if (!repeated.isEmpty()) {
            throw new InvalidException("call boxes named more than once: " + String.join(", ", repeated));
        }
        return targets;
    }

    private String downloadBase(String requestBaseUrl) {
        String base = settings.downloadBaseUrl() == null || settings.downloadBaseUrl().isBlank() ? requestBaseUrl
                : settings.downloadBaseUrl().strip();
        Objects.requireNonNull(base, "requestBaseUrl");
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The newest roll-outs first (at most {@value #LIST_LIMIT}), without their boxes. */
    List<RolloutSummary> list() {
        Map<String, Map<Rollout.BoxState, Integer>> counts = store.counts();
        return store.latest(LIST_LIMIT).stream().map(r -> RolloutSummary.of(r, counts.get(r.id()))).toList();
    }

    /** @throws NotFoundException no such roll-out */
    RolloutView find(String id) {
        Rollout rollout = store.rollout(id).orElseThrow(() -> notFound(id));
        return view(rollout, store.boxes(id));
    }

    /**
     * Cancels a running roll-out: its pending boxes are cancelled, downloads under way are cancelled on the boxes,
     * boxes installing are left to finish (and still followed).
     *
     * @throws NotFoundException no such roll-out
     * @throws NotRunningException it has ended already
     */
    RolloutView cancel(String id, String actor) {
        Rollout rollout = engine.cancel(id, actor).orElseThrow(() -> notFound(id));
        List<Rollout.Box> boxes = store.boxes(id);
        audit.record(actor, "firmware-rollout-cancel", id, "version " + rollout.version() + ", "
                + boxes.stream().filter(b -> b.state().installing()).count() + " boxes left installing");
        publish(rollout, boxes);
        return view(rollout, boxes);
    }

    private void publish(Rollout rollout, List<Rollout.Box> boxes) {
        if (feed != null) {
            feed.publishForAdmins(EVENT, RolloutSummary.of(rollout, count(boxes)));
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no firmware roll-out '" + id + "'");
    }
}
