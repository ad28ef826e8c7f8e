package cn.callbox.hub.boxes;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.device.CallBoxActions;
import cn.callbox.hub.device.CallBoxActions.Action;
import cn.callbox.hub.device.CallBoxActions.Outcome;
import cn.callbox.hub.device.CallBoxPresence;
import cn.callbox.hub.device.CallBoxPresence.Presence;
import cn.callbox.hub.device.DeviceInfo;
import cn.callbox.hub.device.DeviceInfoSource;
import cn.callbox.hub.device.LockerReadiness;
import cn.callbox.hub.incident.AlarmRules;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.Problems;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.WireName;

/**
 * One call box for the console: {@code GET /api/callboxes/{endpoint}} (its place, live state and device information;
 * a unit leader only for their unit's boxes) and {@code POST /api/callboxes/{endpoint}/actions} (siren test, stop
 * siren, announcement, reboot; admin and dispatcher), which waits for the box's answer. Errors are problem details:
 * 400 bad body, 403 another unit's box, 404 unknown box, 409 box not registered, 502 the box refused (property
 * {@code code}: the CoAP code), 504 no answer. Every action that reached the box's turn is written to the audit trail
 * and published to the console as event {@code callbox-action}.
 * <p>
 * Only in a web application (the LwM2M wiring runs without one).
 */
@RestController
@RequestMapping("/api/callboxes")
@ConditionalOnWebApplication
class CallBoxDetailController {

    private static final Logger LOG = LoggerFactory.getLogger(CallBoxDetailController.class);

    /** The longest announcement text, in characters. */
    static final int MAX_TEXT = 200;
    /** The console event of an action's result. */
    static final String EVENT = "callbox-action";

    private final TownshipDirectory directory;
    private final CallBoxPresence presence;
    private final ObjectProvider<LockerReadiness> lockerReadiness;
    private final DeviceInfoSource deviceInfo;
    private final CallBoxActions actions;
    private final AuditTrail audit;
    private final ConsoleFeed feed;
    private final Clock clock;
    /** The bound beyond which a box's clock is flagged: the one beyond which its press times are not believed. */
    private final AlarmRules alarmRules;

    CallBoxDetailController(TownshipDirectory directory, CallBoxPresence presence,
            ObjectProvider<LockerReadiness> lockerReadiness, ObjectProvider<DeviceInfoSource> deviceInfo,
            CallBoxActions actions, AuditTrail audit, ConsoleFeed feed, Clock clock,
            ObjectProvider<AlarmRules> alarmRules) {
        this.directory = directory;
        this.presence = presence;
        this.lockerReadiness = lockerReadiness;
        this.deviceInfo = deviceInfo.getIfAvailable(() -> DeviceInfoSource.NONE);
        this.actions = actions;
        this.audit = audit;
        this.feed = feed;
        this.clock = clock;
        this.alarmRules = alarmRules.getIfAvailable(AlarmRules::defaults);
    }

    /**
     * Device information as last read; every field null when never read.
     *
     * @param battery percent
     * @param signal dBm
     * @param readAt ISO-8601 UTC
     */
    record DeviceView(String firmware, Integer battery, Integer signal, String manufacturer, String model,
            String serial, String readAt) {

        static final DeviceView UNKNOWN = new DeviceView(null, null, null, null, null, null, null);
    }

    /**
     * @param unit the unit responsible for the box's point
     * @param lastSeen ISO-8601 UTC; null when not seen since the hub started
     * @param lockerReady null when not judged (yet)
     * @param doorOpen null when not read yet
     * @param items per item kind (wire name) present in the locker, in the equipment standard's order
     * @param tamper the box reports its enclosure open (tamper switch); false until it reports it
     * @param onMains the box runs on mains power (false: on its battery); null when it has not reported its power
     *        sources (never heard, or no AC-OK input)
     * @param batteryLow the last reported battery level is below {@value CallBoxPresence#LOW_BATTERY_PERCENT} %
     * @param clockOffsetSeconds the box's clock minus the hub's, whole seconds (the measurement is good to about a
     *        second), as last measured; null when never measured since the hub started
     * @param clockSkewed the box's clock is further from the hub's than {@code callbox.alarms.clock-skew}, the bound
     *        beyond which the hub does not believe its press times; false when never measured
     */
    record CallBoxDetail(String endpoint, String village, String place, double lat, double lon, String unit,
            boolean online, String lastSeen, boolean sirenSounding, Boolean lockerReady, Boolean doorOpen,
            Map<String, Integer> items, DeviceView device, boolean tamper, Boolean onMains, boolean batteryLow,
            Long clockOffsetSeconds, boolean clockSkewed) {
    }

    /** @param text the announcement text (announce only), at most {@value #MAX_TEXT} characters */
    record ActionRequest(String action, String text) {
    }

    /** @param code CoAP response code name of the box's answer, e.g. {@code CHANGED} */
    record ActionResult(String endpoint, String action, boolean ok, String code, String message) {
    }

    /**
     * The {@value #EVENT} console event.
     *
     * @param result {@code ok}, {@code refused}, {@code no-answer} or {@code offline}
     * @param code CoAP response code name; null without an answer
     * @param at ISO-8601 UTC
     */
    record ActionEvent(String endpoint, String action, boolean ok, String result, String code, String message,
            String actor, String at) {
    }

    @GetMapping("/{endpoint}")
    CallBoxDetail detail(@PathVariable String endpoint, Authentication authentication) {
        CallBoxInfo box = visibleBox(endpoint, Caller.of(authentication));
        Presence p = presence.presenceOf(endpoint);
        Map<String, Integer> items = new LinkedHashMap<>();
        for (ItemKind kind : ItemKind.values()) {
            Integer count = p.itemsPresent().get(kind);
            if (count != null) {
                items.put(kind.wireName(), count);
            }
        }
        return new CallBoxDetail(box.endpoint(), box.villageName(), box.place(), box.lat(), box.lon(), box.unitId(),
                p.online(), p.lastSeen() == null ? null : p.lastSeen().toString(), p.sirenSounding(),
                lockerReady(endpoint), p.doorOpen(), items, device(endpoint), p.tampered(), p.onMains(),
                p.batteryLow(), p.clockOffset() == null ? null : p.clockOffset().seconds(),
                p.clockSkewed(alarmRules.clockSkew()));
    }

    @PostMapping("/{endpoint}/actions")
    ActionResult act(@PathVariable String endpoint, @RequestBody ActionRequest request,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        CallBoxInfo box = visibleBox(endpoint, caller);
        Action action = WireName.parse(Action.class, request.action()).orElseThrow(() -> problem(
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-action", "Invalid action", "Unknown action '"
                        + request.action() + "': use siren-test, stop-siren, announce or reboot.")));
        String text = null;
        if (action == Action.ANNOUNCE) {
            text = request.text() == null ? "" : request.text().strip();
            if (text.isEmpty()) {
                throw problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-action", "Invalid action",
                        "An announcement needs a text."));
            }
            if (text.codePointCount(0, text.length()) > MAX_TEXT) {
                throw problem(Problems.of(HttpStatus.BAD_REQUEST, "invalid-action", "Invalid action",
                        "An announcement text has at most " + MAX_TEXT + " characters."));
            }
        }

        Outcome outcome = actions.run(endpoint, action, text);
        String result = WireName.of(outcome.result());
        audit.record(caller.username(), action.wireName(), endpoint, result
                + (outcome.code() == null ? "" : " " + outcome.code()) + ": " + outcome.message()
                + (text == null ? "" : " Text: " + text));
        publish(box, new ActionEvent(endpoint, action.wireName(), outcome.ok(), result, outcome.code(),
                outcome.message(), caller.username(), clock.instant().toString()));
        return switch (outcome.result()) {
        case OK -> new ActionResult(endpoint, action.wireName(), true, outcome.code(), outcome.message());
        case REFUSED -> {
            ProblemDetail refused = Problems.of(HttpStatus.BAD_GATEWAY, "callbox-refused", "Call box refused",
                    outcome.message());
            refused.setProperty("code", outcome.code());
            refused.setProperty("action", action.wireName());
            throw problem(refused);
        }
        case BUSY -> {
            // not the box's fault and not the gateway's: the request does not fit what the box is doing now
            ProblemDetail busy = Problems.of(HttpStatus.CONFLICT, "callbox-busy", "Call box busy",
                    outcome.message());
            busy.setProperty("code", outcome.code());
            busy.setProperty("action", action.wireName());
            throw problem(busy);
        }
        case NO_ANSWER -> throw problem(withAction(Problems.of(HttpStatus.GATEWAY_TIMEOUT, "callbox-no-answer",
                "No answer from the call box", outcome.message()), action));
        case OFFLINE -> throw problem(withAction(Problems.of(HttpStatus.CONFLICT, "callbox-offline",
                "Call box offline", "Call box '" + endpoint
                        + "' is offline (not registered with the hub): nothing was sent."), action));
        };
    }

    private CallBoxInfo visibleBox(String endpoint, Caller caller) {
        CallBoxInfo box = directory.callBox(endpoint).orElseThrow(() -> problem(Problems.of(HttpStatus.NOT_FOUND,
                "callbox-not-found", "Call box not found", "No call box '" + endpoint + "'.")));
        if (!caller.maySee(box.unitId())) {
            throw problem(Problems.of(HttpStatus.FORBIDDEN, "forbidden-unit", "Another unit",
                    "A unit leader may see and act only for their own unit's call boxes; '" + endpoint
                            + "' belongs to another unit."));
        }
        return box;
    }

    private Boolean lockerReady(String endpoint) {
        try {
            return lockerReadiness.getIfAvailable(() -> LockerReadiness.UNKNOWN).lockerReady(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("Locker readiness of {} unavailable: {}", endpoint, e.toString());
            return null;
        }
    }

    private DeviceView device(String endpoint) {
        Optional<DeviceInfo> info;
        try {
            info = deviceInfo.deviceInfo(endpoint);
        } catch (RuntimeException e) {
            LOG.warn("Device information of {} unavailable: {}", endpoint, e.toString());
            return DeviceView.UNKNOWN;
        }
        return info.map(d -> new DeviceView(d.firmware(), d.battery(), d.signal(), d.manufacturer(), d.model(),
                d.serial(), d.readAt() == null ? null : d.readAt().toString())).orElse(DeviceView.UNKNOWN);
    }

    private void publish(CallBoxInfo box, ActionEvent event) {
        try {
            feed.publishForUnits(EVENT, event, List.of(box.unitId()));
        } catch (RuntimeException e) {
            LOG.warn("Result of {} on {} not published to the console: {}", event.action(), box.endpoint(),
                    e.toString());
        }
    }

    private static ProblemDetail withAction(ProblemDetail problem, Action action) {
        problem.setProperty("action", action.wireName());
        return problem;
    }

    private static ErrorResponseException problem(ProblemDetail problem) {
        return new ErrorResponseException(HttpStatus.valueOf(problem.getStatus()), problem, null);
    }
}
