package cn.callbox.hub.announcement;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.announcement.Loudspeakers.Delivery;
import cn.callbox.hub.announcement.Loudspeakers.Speech;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleFeed;

/**
 * Broadcasts to loudspeakers: checks the request, resolves its targets to boxes through the registry, speaks on every
 * box at once and waits for their answers (at most the answer timeout, 10 s), then records the broadcast with its
 * per-box results, audits it ({@code announce}) and tells the console ({@code announcement}). A refused request sends
 * nothing. Thread-safe; a broadcast blocks its calling thread until the answers are in.
 */
final class AnnouncementService {

    static final int MAX_TEXT = 200;
    static final int MAX_REPEAT = 10;
    /** How many broadcasts the list shows. */
    static final int LIST_LIMIT = 100;
    static final String EVENT = "announcement";

    private static final Logger LOG = LoggerFactory.getLogger(AnnouncementService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Over the answer timeout: the loudspeakers' own timeouts end first when a transport is slow to report. */
    private static final Duration WAIT_GRACE = Duration.ofMillis(500);

    private final TownshipDirectory directory;
    private final Loudspeakers loudspeakers;
    private final JdbcAnnouncementStore store;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final Clock clock;
    private final Duration answerTimeout;

    /**
     * @param answerTimeout how long every box together gets to answer
     */
    AnnouncementService(TownshipDirectory directory, Loudspeakers loudspeakers, JdbcAnnouncementStore store,
            AuditTrail audit, ConsoleFeed feed, Clock clock, Duration answerTimeout) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.loudspeakers = Objects.requireNonNull(loudspeakers, "loudspeakers");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.answerTimeout = Objects.requireNonNull(answerTimeout, "answerTimeout");
    }

    /**
     * What to say, checked: exactly one of text (1-200 characters, blank not allowed) and clip (a known name), repeat
     * 1-10.
     */
    record Message(String text, String clip, int repeat) {

        /**
         * @param repeat null means 1
         * @throws AnnouncementException.Invalid when the fields do not make one message
         * @throws AnnouncementException.UnknownTargets for a clip name no box knows
         */
        static Message of(String text, String clip, Integer repeat) {
            boolean hasText = text != null && !text.isBlank();
            boolean hasClip = clip != null && !clip.isBlank();
            if (hasText == hasClip) {
                throw new AnnouncementException.Invalid("Give exactly one of 'text' (zh-CN, at most " + MAX_TEXT
                        + " characters) and 'clip' (one of " + String.join(", ", AnnouncementClips.NAMES) + ").");
            }
            if (hasText && text.strip().length() > MAX_TEXT) {
                throw new AnnouncementException.Invalid("'text' takes at most " + MAX_TEXT + " characters, not "
                        + text.strip().length() + ".");
            }
            if (hasClip && !AnnouncementClips.isKnown(clip.strip())) {
                throw new AnnouncementException.UnknownTargets(List.of("clip " + clip.strip()), "Unknown clip '"
                        + clip.strip() + "': the boxes play " + String.join(", ", AnnouncementClips.NAMES) + ".");
            }
            int times = repeat == null ? 1 : repeat;
            if (times < 1 || times > MAX_REPEAT) {
                throw new AnnouncementException.Invalid("'repeat' is 1-" + MAX_REPEAT + ", not " + times + ".");
            }
            return new Message(hasText ? text.strip() : null, hasClip ? clip.strip() : null, times);
        }
    }

    /**
     * Resolves {@code targets}, strictly: every id must be known and together they must reach a box.
     *
     * @return endpoints, sorted
     * @throws AnnouncementException.Invalid when there is no target
     * @throws AnnouncementException.UnknownTargets naming every unknown id, or when no box is reached
     */
    SortedSet<String> resolve(Targets targets) {
        if (targets.isEmpty()) {
            throw new AnnouncementException.Invalid("Name at least one target in 'callboxes', 'villages' or 'units'.");
        }
        List<String> unknown = new ArrayList<>();
        SortedSet<String> endpoints = targets.resolve(directory, unknown);
        if (!unknown.isEmpty()) {
            throw new AnnouncementException.UnknownTargets(unknown, "Unknown targets: " + String.join(", ", unknown)
                    + ". Nothing was sent.");
        }
        if (endpoints.isEmpty()) {
            throw new AnnouncementException.UnknownTargets(List.of(), "The targets (" + targets.describe()
                    + ") have no call box. Nothing was sent.");
        }
        return endpoints;
    }

    /**
     * A broadcast asked for by a person: checked, resolved, sent, recorded.
     *
     * @throws AnnouncementException (nothing sent) when the request is refused
     */
    Announcement announce(Message message, Targets targets, String username) {
        SortedSet<String> endpoints = resolve(targets);
        return send(message, endpoints, username, username, targets.describe());
    }

    /**
     * Sends to {@code endpoints} (already resolved) and records the broadcast. Never throws for a box that fails: its
     * result says so.
     *
     * @param requestedBy shown in the record: a user name or {@code schedule:<name>}
     * @param actor who the audit log names: the user, or {@code system}
     * @param targetsText the targets as asked, for the audit detail
     */
    Announcement send(Message message, Collection<String> endpoints, String requestedBy, String actor,
            String targetsText) {
        // milliseconds: the same instant in the response as in the database, on H2 and PostgreSQL alike
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Speech speech = new Speech(message.text(), message.clip(), message.repeat());
        Map<String, CompletableFuture<Delivery>> pending = new LinkedHashMap<>();
        for (String endpoint : new TreeSet<>(endpoints)) {
            CompletableFuture<Delivery> answer;
            try {
                answer = loudspeakers.announce(endpoint, speech, answerTimeout);
            } catch (RuntimeException e) {
                LOG.warn("Announcement on {} not sent: {}", endpoint, e.toString());
                answer = CompletableFuture.completedFuture(Delivery.failed("error: " + e.getMessage()));
            }
            pending.put(endpoint, answer);
        }
        awaitAll(pending.values());
        List<Announcement.Result> results = new ArrayList<>();
        pending.forEach((endpoint, answer) -> {
            Delivery delivery = answer.getNow(null);
            if (delivery == null) {
                answer.cancel(false);
                delivery = Delivery.failed(Delivery.TIMEOUT);
            }
            results.add(new Announcement.Result(endpoint, delivery.ok(), delivery.detail()));
        });
        Announcement announcement = new Announcement(newId(), at, requestedBy, message.text(), message.clip(),
                message.repeat(), results);
        try {
            store.save(announcement);
        } catch (RuntimeException e) {
            LOG.error("Announcement {} went out but could not be recorded", announcement.id(), e);
        }
        long ok = results.stream().filter(Announcement.Result::ok).count();
        LOG.info("Announcement {} by {}: {} of {} boxes announced", announcement.id(), requestedBy, ok,
                results.size());
        audit.record(actor, "announce", String.join(",", pending.keySet()), auditDetail(announcement, ok,
                targetsText));
        feed.publishForUnits(EVENT, Announcement.View.of(announcement), unitsOf(pending.keySet()));
        return announcement;
    }

    /** The newest broadcasts (at most 100); a unit leader sees only those that reached a box of their unit. */
    List<Announcement> latest(Caller caller) {
        List<Announcement> all = store.latest(LIST_LIMIT);
        if (caller.confinedToUnit().isEmpty()) {
            return all;
        }
        Set<String> own = ownBoxes(caller);
        return all.stream().filter(a -> a.results().stream().anyMatch(r -> own.contains(r.endpoint()))).toList();
    }

    /** The boxes of a unit leader's unit; empty for an unknown unit. */
    Set<String> ownBoxes(Caller caller) {
        return caller.confinedToUnit().flatMap(directory::unit).map(u -> Set.copyOf(u.callBoxes())).orElse(Set.of());
    }

    /** The units whose boxes are among {@code endpoints}. */
    Set<String> unitsOf(Collection<String> endpoints) {
        Set<String> units = new TreeSet<>();
        for (String endpoint : endpoints) {
            directory.callBox(endpoint).ifPresent(box -> {
                if (box.unitId() != null) {
                    units.add(box.unitId());
                }
            });
        }
        return units;
    }

    private void awaitAll(Collection<CompletableFuture<Delivery>> answers) {
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(answerTimeout.plus(WAIT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the boxes that did not answer are marked below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String auditDetail(Announcement a, long ok, String targetsText) {
        String said = a.text() != null ? "text: " + a.text() : "clip: " + a.clip();
        return a.id() + " " + said + (a.repeat() > 1 ? " (x" + a.repeat() + ")" : "") + "; " + ok + "/"
                + a.results().size() + " boxes announced" + (targetsText == null || targetsText.isEmpty() ? ""
                        : "; targets " + targetsText);
    }

    private static String newId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "an-" + HexFormat.of().formatHex(bytes);
    }
}
