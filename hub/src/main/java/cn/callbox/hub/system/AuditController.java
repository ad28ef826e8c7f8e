package cn.callbox.hub.system;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/audit?limit=}: the newest audit entries (admin only, see {@link SecurityConfiguration}). */
@RestController
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditTrail audit;

    AuditController(AuditTrail audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    List<AuditTrail.AuditEntry> latest(@RequestParam(defaultValue = "200") int limit) {
        return audit.latest(Math.min(Math.max(limit, 1), MAX_LIMIT));
    }
}
