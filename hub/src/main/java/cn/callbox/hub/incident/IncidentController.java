package cn.callbox.hub.incident;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleRole;
import cn.callbox.protocol.WireName;
import cn.callbox.protocol.mqtt.IncidentSnapshot;

/**
 * REST API of incidents (ARCHITECTURE.md): list, one incident, acknowledgements and reports, and the command centre's
 * actions (alert one more unit, call the police, false alarm, close). Errors are RFC 9457 problem details
 * ({@link IncidentProblems}); a refused request changes nothing. A unit leader sees and acts on only the incidents
 * their unit was alerted for (another one: 403); the other roles see all (SecurityConfiguration decides who may
 * call what). Every action is written to the {@link AuditTrail} with the caller as actor.
 */
@RestController
@RequestMapping("/api/incidents")
class IncidentController {

    /** Longest note a report or action may carry. */
    static final int MAX_NOTE = 500;

    private final IncidentService incidents;
    private final AuditTrail audit;

    IncidentController(IncidentService incidents, AuditTrail audit) {
        this.incidents = incidents;
        this.audit = audit;
    }

    /** The newest first; for a unit leader only those their unit was alerted for. */
    @GetMapping
    List<IncidentSnapshot> list(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        return incidents.list().stream().filter(i -> visible(i, caller)).toList();
    }

    @GetMapping("/{id}")
    IncidentSnapshot get(@PathVariable String id, Authentication authentication) {
        return visibleIncident(id, Caller.of(authentication));
    }

    /**
     * Body {@code {"memberId"}}; the member's unit must have been alerted (for a unit leader: their own unit).
     * Returns the incident.
     */
    @PostMapping("/{id}/acks")
    IncidentSnapshot acknowledge(@PathVariable String id, @RequestBody AckRequest body,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (body == null || body.memberId() == null || body.memberId().isBlank()) {
            throw new InvalidRequestException("memberId is required");
        }
        visibleIncident(id, caller);
        String member = body.memberId().strip();
        IncidentSnapshot incident = incidents.acknowledge(id, member, confinedUnit(caller));
        audit.record(caller.username(), "incident-ack", id, "member " + member);
        return incident;
    }

    /** Body {@code {"status", "note"}}; status one of on-scene, needs-police, needs-ambulance, resolved, false-alarm. */
    @PostMapping("/{id}/reports")
    IncidentSnapshot report(@PathVariable String id, @RequestBody ReportRequest body, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (body == null || body.status() == null || body.status().isBlank()) {
            throw new InvalidRequestException("status is required, one of: " + ReportStatus.allowed());
        }
        ReportStatus status = WireName.parse(ReportStatus.class, body.status()).orElseThrow(
                () -> new InvalidRequestException("unknown status '" + body.status() + "'; allowed: "
                        + ReportStatus.allowed()));
        String note = note(body.note());
        visibleIncident(id, caller);
        IncidentSnapshot incident = incidents.report(id, status, note);
        audit.record(caller.username(), "incident-report", id, withNote(status.wireName(), note));
        return incident;
    }

    /** Body {@code {"unit"}}: alerts the unit as support now. */
    @PostMapping("/{id}/alerts")
    IncidentSnapshot alertUnit(@PathVariable String id, @RequestBody AlertRequest body,
            Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (body == null || body.unit() == null || body.unit().isBlank()) {
            throw new InvalidRequestException("unit is required");
        }
        String unit = body.unit().strip();
        IncidentSnapshot incident = incidents.alertSupport(id, unit, caller.username());
        audit.record(caller.username(), "incident-alert-unit", id, unit);
        return incident;
    }

    /** Body {@code {"note"}} (optional): escalates to the police. */
    @PostMapping("/{id}/police")
    IncidentSnapshot callPolice(@PathVariable String id, @RequestBody(required = false) NoteRequest body,
            Authentication authentication) {
        return noted(id, body, authentication, "incident-police", incidents::callPolice);
    }

    /** Body {@code {"note"}} (optional): closes the incident as a false alarm. */
    @PostMapping("/{id}/false-alarm")
    IncidentSnapshot falseAlarm(@PathVariable String id, @RequestBody(required = false) NoteRequest body,
            Authentication authentication) {
        return noted(id, body, authentication, "incident-false-alarm", incidents::falseAlarm);
    }

    /** Body {@code {"note"}} (optional): closes the incident as resolved. */
    @PostMapping("/{id}/close")
    IncidentSnapshot close(@PathVariable String id, @RequestBody(required = false) NoteRequest body,
            Authentication authentication) {
        return noted(id, body, authentication, "incident-close", incidents::close);
    }

    /** A command-centre action with an optional note: run it, then audit it (a refused action is not audited). */
    private IncidentSnapshot noted(String id, NoteRequest body, Authentication authentication, String auditAction,
            NotedAction action) {
        Caller caller = Caller.of(authentication);
        String note = note(body == null ? null : body.note());
        IncidentSnapshot incident = action.apply(id, caller.username(), note);
        audit.record(caller.username(), auditAction, id, note);
        return incident;
    }

    @FunctionalInterface
    private interface NotedAction {
        IncidentSnapshot apply(String incidentId, String actor, String note);
    }

    /** The incident, when the caller may see it. */
    private IncidentSnapshot visibleIncident(String id, Caller caller) {
        IncidentSnapshot incident = incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
        if (!visible(incident, caller)) {
            throw new IncidentForbiddenException(id, caller.username());
        }
        return incident;
    }

    /** Township-wide roles see every incident; a unit leader those their unit was alerted for. */
    private static boolean visible(IncidentSnapshot incident, Caller caller) {
        if (caller.role() != ConsoleRole.UNIT_LEADER) {
            return true;
        }
        return incident.units().stream().anyMatch(u -> caller.maySee(u.unit()));
    }

    /** The unit whose members a unit leader may acknowledge for; null for township-wide roles. */
    private static String confinedUnit(Caller caller) {
        if (caller.role() != ConsoleRole.UNIT_LEADER) {
            return null;
        }
        return caller.unitId() == null ? "" : caller.unitId();
    }

    private static String note(String note) {
        if (note != null && note.length() > MAX_NOTE) {
            throw new InvalidRequestException("note is longer than " + MAX_NOTE + " characters");
        }
        return note == null || note.isBlank() ? null : note.strip();
    }

    private static String withNote(String text, String note) {
        return note == null ? text : text + ": " + note;
    }

    record AckRequest(String memberId) {
    }

    record ReportRequest(String status, String note) {
    }

    record AlertRequest(String unit) {
    }

    record NoteRequest(String note) {
    }

    /** A request body the API refuses (400). */
    static class InvalidRequestException extends RuntimeException {

        InvalidRequestException(String message) {
            super(message);
        }
    }
}
