package cn.callbox.hub.training;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.MemberInfo;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.training.JdbcTrainingRecords.Commendation;
import cn.callbox.hub.training.JdbcTrainingRecords.MemberRef;
import cn.callbox.hub.training.JdbcTrainingRecords.Training;
import cn.callbox.hub.training.TrainingRuleException.Rule;

/**
 * Training records and commendations under their rules ({@link TrainingRuleException.Rule}): checked first, then
 * written in one transaction and audited ({@code training-add}, {@code commendation-add}); a
 * {@link TrainingRuleException} or {@link UnknownUnitException} means nothing was written. "Today" is the township's
 * local date ({@link #TOWNSHIP_ZONE}) on the injected clock. Who may call what is the controllers' business.
 * Thread-safe.
 */
class TrainingService {

    static final ZoneId TOWNSHIP_ZONE = ZoneId.of("Asia/Shanghai");
    static final int MAX_TOPIC = 200;
    static final int MAX_REASON = 500;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final JdbcTrainingRecords records;
    private final TownshipDirectory directory;
    private final TransactionTemplate transactions;
    private final AuditTrail audit;
    private final Clock clock;

    TrainingService(JdbcTrainingRecords records, TownshipDirectory directory, TransactionTemplate transactions,
            AuditTrail audit, Clock clock) {
        this.records = records;
        this.directory = directory;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** No such unit. */
    static final class UnknownUnitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownUnitException(String unitId) {
            super("No unit '" + unitId + "'.");
        }
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(TOWNSHIP_ZONE));
    }

    /** The unit's trainings of the year, newest first. */
    List<Training> trainings(String unitId, int year) {
        requireUnit(unitId);
        return records.trainings(unitId, LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31));
    }

    /**
     * Records a training held by the unit.
     *
     * @param kind wire name, {@code online} or {@code offline}
     * @param attendees member ids of the unit, each once
     */
    Training addTraining(String unitId, LocalDate day, String kind, String topic, List<String> attendees,
            String actor) {
        requireUnit(unitId);
        TrainingKind trainingKind = TrainingKind.of(kind)
                .orElseThrow(() -> new TrainingRuleException(Rule.KIND, "got '" + kind + "'"));
        notFuture(day);
        String cleanTopic = text(Rule.TOPIC, topic, MAX_TOPIC);
        if (attendees == null || attendees.isEmpty()) {
            throw new TrainingRuleException(Rule.ATTENDEES, "none given");
        }
        Set<String> members = directory.members(unitId).stream().map(MemberInfo::id).collect(Collectors.toSet());
        Set<String> seen = new HashSet<>();
        for (String id : attendees) {
            if (id == null || !seen.add(id)) {
                throw new TrainingRuleException(Rule.ATTENDEES, "'" + id + "' is listed twice or is null");
            }
            if (!members.contains(id)) {
                throw new TrainingRuleException(Rule.ATTENDEE_MEMBER, "'" + id + "' is not a member of unit " + unitId);
            }
        }
        long id = transactions.execute(status -> records.addTraining(unitId, day, trainingKind, cleanTopic,
                attendees, actor, clock.instant()));
        LOG.info("Training {} of unit {} on {} ({}) recorded by {}", id, unitId, day, kind, actor);
        audit.record(actor, "training-add", unitId, day + " " + kind + ": " + cleanTopic + " (" + attendees.size()
                + " attendees)");
        return records.training(id).orElseThrow();
    }

    /**
     * Coverage of the year for the units asked for (ordered by id).
     *
     * @param unitIds the units to report; unknown ids are left out
     */
    List<TrainingCoverage.UnitCoverage> coverage(int year, List<String> unitIds) {
        List<TrainingCoverage.Held> held = records.trainings(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31))
                .stream().map(t -> new TrainingCoverage.Held(t.unitId(), t.day(), t.kind())).toList();
        return TrainingCoverage.of(year, unitIds, held, today());
    }

    /** Every commendation, newest first. */
    List<Commendation> commendations() {
        return records.commendations();
    }

    /**
     * Commends a member.
     *
     * @param incidentId the incident the member is commended for; null when none
     */
    Commendation commend(String memberId, LocalDate day, String reason, String incidentId, String actor) {
        MemberRef member = (memberId == null ? null : records.member(memberId).orElse(null));
        if (member == null) {
            throw new TrainingRuleException(Rule.KNOWN_MEMBER, "no member '" + memberId + "'");
        }
        notFuture(day);
        String cleanReason = text(Rule.REASON, reason, MAX_REASON);
        String incident = incidentId == null || incidentId.isBlank() ? null : incidentId.strip();
        if (incident != null && !records.incidentExists(incident)) {
            throw new TrainingRuleException(Rule.KNOWN_INCIDENT, "no incident '" + incident + "'");
        }
        long id = transactions.execute(status -> records.addCommendation(member.id(), day, cleanReason, incident,
                actor, clock.instant()));
        LOG.info("Member {} of unit {} commended by {}", member.id(), member.unitId(), actor);
        audit.record(actor, "commendation-add", member.id(), day + ": " + cleanReason
                + (incident == null ? "" : " (incident " + incident + ")"));
        return records.commendation(id).orElseThrow();
    }

    private void notFuture(LocalDate day) {
        if (day == null) {
            throw new TrainingRuleException(Rule.DATE, "none given");
        }
        if (day.isAfter(today())) {
            throw new TrainingRuleException(Rule.DATE, day + " is after today, " + today());
        }
    }

    private static String text(Rule rule, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new TrainingRuleException(rule, "none given");
        }
        String clean = value.strip();
        if (clean.length() > max) {
            throw new TrainingRuleException(rule, "it has " + clean.length() + " characters");
        }
        return clean;
    }

    private void requireUnit(String unitId) {
        if (directory.unit(unitId).isEmpty()) {
            throw new UnknownUnitException(unitId);
        }
    }
}
