package cn.callbox.hub.registry;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.JdbcDutyRoster.DayPlan;
import cn.callbox.hub.registry.JdbcDutyRoster.Resolved;
import cn.callbox.hub.registry.JdbcDutyRoster.Swap;
import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.MemberInfo;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;

/**
 * REST API of duty rosters and members (issue 3, item 1). Days are ISO-8601 dates in the township's zone; weekdays
 * are {@code monday}..{@code sunday}; {@code onDuty} lists the day's members, the leader included (it may be left
 * out: the leader is always on duty). Errors are RFC 9457 problem details ({@link DutyRosterProblems}): 400 for a
 * malformed body or parameter, 404 for an unknown unit, member or override, 422 naming the broken rule. Changes need
 * the admin role or the unit's own leader (the API's security lets unit leaders in; this controller keeps them to
 * their own unit: another unit is 403 {@code forbidden-unit}, for reads too); reads any township-wide role. Every
 * change is written to the {@link AuditTrail}.
 */
@RestController
@RequestMapping("/api/units/{unitId}")
class DutyRosterController {

    /** The longest range {@code GET .../duty} answers, in days. */
    static final int MAX_RANGE_DAYS = 366;

    private final DutyRosterService roster;
    private final AuditTrail audit;

    DutyRosterController(DutyRosterService roster, AuditTrail audit) {
        this.roster = roster;
        this.audit = audit;
    }

    /** A malformed request: missing field, bad date or weekday; nothing was changed. */
    static final class InvalidRosterRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRosterRequestException(String message) {
            super(message);
        }
    }

    record DayBody(String leader, List<String> onDuty) {
    }

    record PatternDayBody(String day, String leader, List<String> onDuty) {
    }

    record PatternBody(List<PatternDayBody> pattern) {
    }

    record SwapBody(String date, String from, String to) {
    }

    record MemberBody(String id, String name, String role, Boolean resident, String phone) {
    }

    record MemberPatch(String role, Boolean resident) {
    }

    record PatternDayView(String day, String leader, List<String> onDuty) {
    }

    record OverrideView(String date, String leader, List<String> onDuty) {
    }

    record SwapView(String date, String from, String to) {
    }

    /**
     * @param pattern seven days from monday, or empty when the unit has no pattern (its duty is planned per day)
     * @param overrides one-day overrides from today on, by date
     * @param swaps swaps from today on, by date and in order
     */
    record RosterView(String unit, List<PatternDayView> pattern, List<OverrideView> overrides, List<SwapView> swaps) {
    }

    /**
     * @param leader null when nothing is planned
     * @param source {@code override}, {@code pattern}, {@code planned} (per-day plan of a unit without pattern) or
     *        {@code none}
     * @param swaps the swaps applied to the day
     */
    record DutyDayView(String date, String leader, List<String> onDuty, String source, List<SwapView> swaps) {
    }

    record MemberView(String id, String name, String role, boolean resident) {
    }

    @GetMapping("/roster")
    RosterView roster(@PathVariable String unitId, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        DutyRosterService.Roster r = roster.roster(unitId);
        List<PatternDayView> pattern = r.pattern().entrySet().stream()
                .map(e -> new PatternDayView(weekday(e.getKey()), e.getValue().leaderId(), e.getValue().onDuty()))
                .toList();
        List<OverrideView> overrides = r.overrides().entrySet().stream()
                .map(e -> new OverrideView(e.getKey().toString(), e.getValue().leaderId(), e.getValue().onDuty()))
                .toList();
        return new RosterView(unitId, pattern, overrides, r.swaps().stream().map(DutyRosterController::view).toList());
    }

    @PutMapping("/roster")
    RosterView replacePattern(@PathVariable String unitId, @RequestBody PatternBody body,
            Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        if (body == null || body.pattern() == null) {
            throw new InvalidRosterRequestException("the body needs \"pattern\": a list of seven days");
        }
        Map<DayOfWeek, DayPlan> pattern = new EnumMap<>(DayOfWeek.class);
        for (PatternDayBody day : body.pattern()) {
            if (day == null) {
                throw new InvalidRosterRequestException("a day of \"pattern\" is null");
            }
            DayOfWeek weekday = weekday(day.day());
            String subject = "duty pattern of unit " + unitId + " on " + weekday(weekday);
            if (pattern.put(weekday, plan(subject, day.leader(), day.onDuty())) != null) {
                throw new RegistryRuleException(Rule.WEEK_COMPLETE, "duty pattern of unit " + unitId,
                        weekday(weekday) + " is planned twice");
            }
        }
        roster.replacePattern(unitId, pattern);
        audit.record(authentication.getName(), "duty-pattern", unitId, null);
        return roster(unitId, authentication);
    }

    @GetMapping("/duty")
    List<DutyDayView> duty(@PathVariable String unitId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        LocalDate first = from == null ? roster.today() : date("from", from);
        LocalDate last = to == null ? first.plusDays(6) : date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidRosterRequestException("\"to\" (" + last + ") is before \"from\" (" + first + ")");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_RANGE_DAYS) {
            throw new InvalidRosterRequestException("at most " + MAX_RANGE_DAYS + " days at once");
        }
        return roster.duty(unitId, first, last).stream().map(DutyRosterController::view).toList();
    }

    @PutMapping("/duty/{date}")
    DutyDayView override(@PathVariable String unitId, @PathVariable String date, @RequestBody DayBody body,
            Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        LocalDate day = date("date", date);
        if (body == null) {
            throw new InvalidRosterRequestException("the body needs \"leader\" and \"onDuty\"");
        }
        DutyDayView changed = view(roster.putOverride(unitId, day, plan("duty of unit " + unitId + " on " + day,
                body.leader(), body.onDuty())));
        audit.record(authentication.getName(), "duty-override", unitId,
                day + ": leader " + changed.leader() + ", on duty " + changed.onDuty());
        return changed;
    }

    @DeleteMapping("/duty/{date}")
    DutyDayView removeOverride(@PathVariable String unitId, @PathVariable String date,
            Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        DutyDayView changed = view(roster.removeOverride(unitId, date("date", date)));
        audit.record(authentication.getName(), "duty-override-remove", unitId, date);
        return changed;
    }

    @PostMapping("/swaps")
    @ResponseStatus(HttpStatus.CREATED)
    DutyDayView swap(@PathVariable String unitId, @RequestBody SwapBody body, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        if (body == null || body.date() == null || body.from() == null || body.to() == null) {
            throw new InvalidRosterRequestException("the body needs \"date\", \"from\" and \"to\"");
        }
        DutyDayView changed = view(roster.swap(unitId, date("date", body.date()), body.from(), body.to()));
        audit.record(authentication.getName(), "duty-swap", unitId,
                body.date() + ": " + body.from() + " -> " + body.to());
        return changed;
    }

    @GetMapping("/members")
    List<MemberView> members(@PathVariable String unitId, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        return roster.memberList(unitId).stream().map(DutyRosterController::view).toList();
    }

    @PostMapping("/members")
    ResponseEntity<MemberView> addMember(@PathVariable String unitId, @RequestBody MemberBody body,
            Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        if (body == null || body.id() == null || body.resident() == null) {
            throw new InvalidRosterRequestException("the body needs \"id\", \"name\", \"role\" and \"resident\"");
        }
        MemberInfo added = roster.addMember(unitId,
                new Member(body.id(), body.name(), body.role(), body.resident(), body.phone(), null));
        audit.record(authentication.getName(), "member-add", unitId, added.id() + " " + added.name());
        return ResponseEntity.status(HttpStatus.CREATED).body(view(added));
    }

    @PatchMapping("/members/{memberId}")
    MemberView changeMember(@PathVariable String unitId, @PathVariable String memberId,
            @RequestBody MemberPatch body, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        if (body == null || (body.role() == null && body.resident() == null)) {
            throw new InvalidRosterRequestException("the body needs \"role\" and/or \"resident\"");
        }
        MemberView changed = view(roster.changeMember(unitId, memberId, body.role(), body.resident()));
        audit.record(authentication.getName(), "member-change", unitId,
                memberId + ": role " + changed.role() + ", resident " + changed.resident());
        return changed;
    }

    /** A day from the body: leader and on-duty ids, each once (the leader may be listed or not). */
    private static DayPlan plan(String subject, String leader, List<String> onDuty) {
        if (onDuty == null) {
            throw new InvalidRosterRequestException(subject + ": \"onDuty\" is missing");
        }
        Set<String> seen = new HashSet<>();
        for (String id : onDuty) {
            if (id == null) {
                throw new InvalidRosterRequestException(subject + ": \"onDuty\" holds a null");
            }
            if (!seen.add(id)) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, subject, "member " + id + " is listed twice");
            }
        }
        return DayPlan.of(leader, onDuty);
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRosterRequestException("\"" + field + "\" is not an ISO-8601 date (yyyy-MM-dd): " + text);
        }
    }

    private static DayOfWeek weekday(String text) {
        if (text != null) {
            for (DayOfWeek day : DayOfWeek.values()) {
                if (day.name().equalsIgnoreCase(text)) {
                    return day;
                }
            }
        }
        throw new InvalidRosterRequestException("\"day\" is not one of monday..sunday: " + text);
    }

    private static String weekday(DayOfWeek day) {
        return day.name().toLowerCase(Locale.ROOT);
    }

    private static SwapView view(Swap swap) {
        return new SwapView(swap.day().toString(), swap.from(), swap.to());
    }

    private static DutyDayView view(Resolved day) {
        return new DutyDayView(day.day().toString(), day.plan().leaderId(), day.plan().onDuty(),
                day.source().wireName(), day.swaps().stream().map(DutyRosterController::view).toList());
    }

    private static MemberView view(MemberInfo member) {
        return new MemberView(member.id(), member.name(), member.role(), member.resident());
    }
}
