package cn.callbox.hub.incident;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.protocol.mqtt.IncidentSnapshot;
import cn.callbox.protocol.WireName;

/**
 * REST API of incidents (ARCHITECTURE.md): list, one incident, acknowledgements and reports. Errors are RFC 9457
 * problem details ({@link IncidentProblems}); a refused request changes nothing.
 */
@RestController
@RequestMapping("/api/incidents")
class IncidentController {

    /** Longest note a report may carry. */
    static final int MAX_NOTE = 500;

    private final IncidentService incidents;

    IncidentController(IncidentService incidents) {
        this.incidents = incidents;
    }

    /** The newest first. */
    @GetMapping
    List<IncidentSnapshot> list() {
        return incidents.list();
    }

    @GetMapping("/{id}")
    IncidentSnapshot get(@PathVariable String id) {
        return incidents.find(id).orElseThrow(() -> new IncidentNotFoundException(id));
    }

    /** Body {@code {"memberId"}}; the member's unit must have been alerted. Returns the incident. */
    @PostMapping("/{id}/acks")
    IncidentSnapshot acknowledge(@PathVariable String id, @RequestBody AckRequest body) {
        if (body == null || body.memberId() == null || body.memberId().isBlank()) {
            throw new InvalidRequestException("memberId is required");
        }
        return incidents.acknowledge(id, body.memberId().strip());
    }

    /** Body {@code {"status", "note"}}; status one of on-scene, needs-police, needs-ambulance, resolved, false-alarm. */
    @PostMapping("/{id}/reports")
    IncidentSnapshot report(@PathVariable String id, @RequestBody ReportRequest body) {
        if (body == null || body.status() == null || body.status().isBlank()) {
            throw new InvalidRequestException("status is required, one of: " + ReportStatus.allowed());
        }
        ReportStatus status = WireName.parse(ReportStatus.class, body.status()).orElseThrow(
                () -> new InvalidRequestException("unknown status '" + body.status() + "'; allowed: "
                        + ReportStatus.allowed()));
        if (body.note() != null && body.note().length() > MAX_NOTE) {
            throw new InvalidRequestException("note is longer than " + MAX_NOTE + " characters");
        }
        return incidents.report(id, status, body.note());
    }

    record AckRequest(String memberId) {
    }

    record ReportRequest(String status, String note) {
    }

    /** A request body the API refuses (400). */
    static class InvalidRequestException extends RuntimeException {

        InvalidRequestException(String message) {
            super(message);
        }
    }
}
