package cn.callbox.hub.registry;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.JdbcDutyRoster.DayPlan;
import cn.callbox.hub.registry.JdbcDutyRoster.Resolved;
import cn.callbox.hub.registry.JdbcDutyRoster.Swap;
import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.MemberInfo;
import cn.callbox.hub.registry.TownshipSeed.Member;

/**
 * Duty rosters and members of a unit: read and change them under the duty rules (DOMAIN.md §4.2). Every change locks
 * the unit, checks the rules against the state it would leave and writes in one transaction: a
 * {@link RegistryRuleException} means nothing was written; an {@link UnknownRosterEntryException} names an unknown
 * unit, member or override. After the change is committed every {@link DutyListener} is told (unit, day): the changed
 * day for overrides and swaps, today for a new pattern and for member changes. "Today" is the township's local date
 * ({@link #TOWNSHIP_ZONE}) on the injected clock; days before it are not changed. Thread-safe.
 */
class DutyRosterService {

    /** Duty days are local dates of the township (the same zone as readiness judges "today" in). */
    static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");

    private static final Logger LOG = LoggerFactory.getLogger(DutyRosterService.class);

    private final JdbcDutyRoster roster;
    private final JdbcTownshipDirectory directory;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Supplier<List<DutyListener>> listeners;
    private final Clock clock;

    /** @param listeners asked at each change, so that listener beans may be created after this one */
    DutyRosterService(JdbcClient jdbc, TransactionTemplate transactions, Supplier<List<DutyListener>> listeners,
            Clock clock) {
        this.jdbc = jdbc;
        this.roster = new JdbcDutyRoster(jdbc);
        this.directory = new JdbcTownshipDirectory(jdbc);
        this.transactions = transactions;
        this.listeners = listeners;
        this.clock = clock;
    }

    /** A unit's roster from today on. */
    record Roster(String unitId, Map<DayOfWeek, DayPlan> pattern, TreeMap<LocalDate, DayPlan> overrides,
            List<Swap> swaps) {
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(TOWNSHIP_ZONE));
    }

    /** The weekly pattern (empty when none), and the overrides and swaps from today on. */
    Roster roster(String unitId) {
        requireUnit(unitId);
        LocalDate today = today();
        return new Roster(unitId, roster.pattern(unitId), roster.overrides(unitId, today, JdbcDutyRoster.FAR_FUTURE),
                roster.swaps(unitId, today, JdbcDutyRoster.FAR_FUTURE));
    }

    /** Effective duty per day of {@code from}..{@code to}, both included. */
    List<Resolved> duty(String unitId, LocalDate from, LocalDate to) {
        requireUnit(unitId);
        return roster.resolve(unitId, from, to);
    }

    /**
     * Replaces the unit's weekly pattern: seven valid days. The swaps ahead must still apply to the new pattern
     * (checked day by day); overrides are whole days and stay.
     */
    Resolved replacePattern(String unitId, Map<DayOfWeek, DayPlan> pattern) {
        LocalDate today = today();
        write(unitId, () -> {
            Map<String, MemberInfo> members = members(unitId);
            for (DayOfWeek day : DayOfWeek.values()) {
                if (!pattern.containsKey(day)) {
                    throw new RegistryRuleException(Rule.WEEK_COMPLETE, "duty pattern of unit " + unitId,
                            day.name().toLowerCase(Locale.ROOT) + " is missing");
                }
                checkDay("duty pattern of unit " + unitId + " on " + day.name().toLowerCase(Locale.ROOT),
                        pattern.get(day), members);
            }
            roster.replacePattern(unitId, pattern);
            checkSwapsAhead(unitId, today, members);
        });
        LOG.info("Duty pattern of unit {} replaced", unitId);
        notifyAfterCommit(unitId, today);
        return roster.resolve(unitId, today);
    }

    /** Replaces the whole duty of one day (today or later) by {@code plan}. */
    Resolved putOverride(String unitId, LocalDate day, DayPlan plan) {
        write(unitId, () -> {
            notPast(unitId, day);
            checkDay(subject(unitId, day), plan, members(unitId));
            roster.putOverride(unitId, day, plan);
        });
        LOG.info("Duty of unit {} on {} overridden: leader {}, on duty {}", unitId, day, plan.leaderId(),
                plan.onDuty());
        notifyAfterCommit(unitId, day);
        return roster.resolve(unitId, day);
    }

    /**
     * Removes the day's override: the pattern (with the day's swaps) applies again, and must be valid then.
     *
     * @throws UnknownRosterEntryException when the day has no override
     */
    Resolved removeOverride(String unitId, LocalDate day) {
        write(unitId, () -> {
            notPast(unitId, day);
            if (!roster.deleteOverride(unitId, day)) {
                throw new UnknownRosterEntryException("Unit " + unitId + " has no one-day override on " + day + ".");
            }
            Resolved after = roster.resolve(unitId, day);
            if (after.source() != JdbcDutyRoster.Source.NONE) {
                checkDay(subject(unitId, day), after.plan(), members(unitId));
            }
        });
        LOG.info("Override of unit {} on {} removed", unitId, day);
        notifyAfterCommit(unitId, day);
        return roster.resolve(unitId, day);
    }

    /** Member {@code from}'s duty on {@code day} is taken by {@code to}; the day stays valid. */
    Resolved swap(String unitId, LocalDate day, String from, String to) {
        write(unitId, () -> {
            notPast(unitId, day);
            String subject = subject(unitId, day);
            Resolved before = roster.resolve(unitId, day);
            if (before.source() == JdbcDutyRoster.Source.OVERRIDE) {
                throw new RegistryRuleException(Rule.SWAP_NOT_ON_OVERRIDE, subject,
                        "put the changed day with PUT /api/units/" + unitId + "/duty/" + day);
            }
            Map<String, MemberInfo> members = members(unitId);
            if (!before.plan().onDuty().contains(from)) {
                throw new RegistryRuleException(Rule.SWAP_FROM_ON_DUTY, subject,
                        "'" + from + "' is not on duty; on duty: " + before.plan().onDuty());
            }
            if (before.plan().onDuty().contains(to)) {
                throw new RegistryRuleException(Rule.SWAP_TO_OFF_DUTY, subject, "'" + to + "' is on duty already");
            }
            checkDay(subject, JdbcDutyRoster.applySwap(before.plan(), from, to), members);
            roster.addSwap(unitId, day, from, to, clock.instant());
        });
        LOG.info("Duty of {} in unit {} on {} taken by {}", from, unitId, day, to);
        notifyAfterCommit(unitId, day);
        return roster.resolve(unitId, day);
    }

    /** The unit's members, ordered by id. */
    List<MemberInfo> memberList(String unitId) {
        requireUnit(unitId);
        return directory.members(unitId);
    }

    /** Adds a member to the unit (resident or not: non-resident members may not be on duty). */
    MemberInfo addMember(String unitId, Member member) {
        RegistryRules.id("member", member.id());
        String subject = "member " + member.id();
        text(subject, "name", member.name());
        text(subject, "role", member.role());
        write(unitId, () -> {
            if (roster.member(member.id()).isPresent()) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, subject, "it is registered already");
            }
            try {
                jdbc.sql("INSERT INTO member (id, unit_id, name, role, resident, phone, mqtt_password_hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, NULL)")
                        .params(member.id(), unitId, member.name(), member.role(), member.resident(), member.phone())
                        .update();
            } catch (DuplicateKeyException e) {
                throw new RegistryRuleException(Rule.UNIQUE_ID, subject, "it is registered already");
            }
        });
        LOG.info("Member {} added to unit {} (resident: {})", member.id(), unitId, member.resident());
        notifyAfterCommit(unitId, today());
        return roster.member(member.id()).orElseThrow();
    }

    /**
     * Changes a member's role and/or residency (null: unchanged). A member who is to stop being resident must keep
     * the unit at 5 resident members and be on no duty from today on (pattern, overrides, swaps, planned days).
     */
    MemberInfo changeMember(String unitId, String memberId, String role, Boolean resident) {
        if (role != null) {
            text("member " + memberId, "role", role);
        }
        LocalDate today = today();
        write(unitId, () -> {
            MemberInfo member = roster.member(memberId).filter(m -> m.unitId().equals(unitId))
                    .orElseThrow(() -> new UnknownRosterEntryException("Unit " + unitId + " has no member '"
                            + memberId + "'."));
            boolean staysResident = resident == null ? member.resident() : resident;
            if (member.resident() && !staysResident) {
                long residents = members(unitId).values().stream().filter(MemberInfo::resident).count() - 1;
                if (residents < RegistryRules.MIN_MEMBERS) {
                    throw new RegistryRuleException(Rule.MIN_RESIDENT_MEMBERS, "unit " + unitId,
                            "without " + memberId + " it would have " + residents);
                }
                checkNotOnDutyAhead(unitId, memberId, today);
            }
            roster.updateMember(memberId, role == null ? member.role() : role, staysResident);
        });
        LOG.info("Member {} of unit {} changed (role {}, resident {})", memberId, unitId, role, resident);
        notifyAfterCommit(unitId, today);
        return roster.member(memberId).orElseThrow();
    }

    private void checkNotOnDutyAhead(String unitId, String memberId, LocalDate today) {
        roster.pattern(unitId).forEach((day, plan) -> {
            if (plan.onDuty().contains(memberId)) {
                throw new RegistryRuleException(Rule.ON_DUTY_RESIDENT,
                        "duty pattern of unit " + unitId + " on " + day.name().toLowerCase(Locale.ROOT),
                        "member " + memberId + " is on duty then; change the pattern first");
            }
        });
        for (LocalDate day : roster.daysWithEntries(unitId, today)) {
            if (roster.resolve(unitId, day).plan().onDuty().contains(memberId)) {
                throw new RegistryRuleException(Rule.ON_DUTY_RESIDENT, subject(unitId, day),
                        "member " + memberId + " is on duty then; change that day first");
            }
        }
    }

    /** Every stored swap from today on, on days without override, must still apply (the pattern just changed). */
    private void checkSwapsAhead(String unitId, LocalDate today, Map<String, MemberInfo> members) {
        Set<LocalDate> days = new TreeSet<>();
        roster.swaps(unitId, today, JdbcDutyRoster.FAR_FUTURE).forEach(s -> days.add(s.day()));
        for (LocalDate day : days) {
            Resolved resolved = roster.resolve(unitId, day);
            if (resolved.source() == JdbcDutyRoster.Source.OVERRIDE) {
                continue;
            }
            List<Swap> stored = roster.swaps(unitId, day, day);
            if (resolved.swaps().size() != stored.size()) {
                Swap lost = stored.stream().filter(s -> !resolved.swaps().contains(s)).findFirst().orElseThrow();
                throw new RegistryRuleException(Rule.SWAP_FROM_ON_DUTY, subject(unitId, day),
                        "with the new pattern the swap of " + lost.from() + " to " + lost.to() + " no longer applies");
            }
            checkDay(subject(unitId, day), resolved.plan(), members);
        }
    }

    /**
     * The rules of one day: exactly one leader, at least 3 on duty (the leader included), each once, all members of
     * the unit who live in the village.
     */
    static void checkDay(String subject, DayPlan plan, Map<String, MemberInfo> members) {
        if (plan.leaderId() == null) {
            throw new RegistryRuleException(Rule.ONE_DUTY_LEADER, subject, "it has none");
        }
        for (String id : plan.onDuty()) {
            if (id == null) {
                throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, "a member id is missing");
            }
            MemberInfo member = members.get(id);
            if (member == null) {
                throw new RegistryRuleException(Rule.DUTY_OWN_MEMBERS, subject, "'" + id + "' is not a member of it");
            }
            if (!member.resident()) {
                throw new RegistryRuleException(Rule.ON_DUTY_RESIDENT, subject,
                        "member " + id + " (" + member.name() + ") does not live there");
            }
        }
        if (plan.onDuty().size() < RegistryRules.MIN_ON_DUTY) {
            throw new RegistryRuleException(Rule.MIN_ON_DUTY, subject, "it has " + plan.onDuty().size());
        }
    }

    private void notPast(String unitId, LocalDate day) {
        if (day.isBefore(today())) {
            throw new RegistryRuleException(Rule.PAST_DAY, subject(unitId, day), "today is " + today());
        }
    }

    private static String subject(String unitId, LocalDate day) {
        return "duty of unit " + unitId + " on " + day;
    }

    private Map<String, MemberInfo> members(String unitId) {
        return directory.members(unitId).stream().collect(Collectors.toMap(MemberInfo::id, Function.identity()));
    }

    private void requireUnit(String unitId) {
        if (directory.unit(unitId).isEmpty()) {
            throw unknownUnit(unitId);
        }
    }

    private static UnknownRosterEntryException unknownUnit(String unitId) {
        return new UnknownRosterEntryException("No unit '" + unitId + "'.");
    }

    private void write(String unitId, Runnable change) {
        transactions.executeWithoutResult(status -> {
            if (!roster.lockUnit(unitId)) {
                throw unknownUnit(unitId);
            }
            change.run();
        });
    }

    private static void text(String subject, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, field + " is missing");
        }
    }

    /** Tells the listeners once the change is committed: at once, or when the caller's transaction commits. */
    private void notifyAfterCommit(String unitId, LocalDate day) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    notifyListeners(unitId, day);
                }
            });
        } else {
            notifyListeners(unitId, day);
        }
    }

    private void notifyListeners(String unitId, LocalDate day) {
        List<DutyListener> all = new ArrayList<>(listeners.get());
        Set<DutyListener> seen = new HashSet<>();
        for (DutyListener listener : all) {
            if (!seen.add(listener)) {
                continue;
            }
            try {
                listener.dutyChanged(unitId, day);
            } catch (RuntimeException e) {
                LOG.warn("Duty listener {} failed for unit {} on {}: {}", listener, unitId, day, e.toString(), e);
            }
        }
    }
}
