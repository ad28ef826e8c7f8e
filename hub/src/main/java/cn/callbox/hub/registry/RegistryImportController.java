package cn.callbox.hub.registry;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.RegistryImport.Counts;
import cn.callbox.hub.registry.RegistryImport.Registry;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;

/**
 * {@code POST /api/registry/import}, admin only (the API's security): a township registry, all or nothing
 * ({@link RegistryImport}). 200 with the counts written {@code {"villages","points","units","members","dutyPatterns"}};
 * 422 {@code registry-import} with {@code "errors":[{"path","rule","text"}]} naming every item that broke a rule
 * (nothing written); 400 for a body that is not the JSON this call takes. Audited as {@code registry-import}.
 */
@RestController
class RegistryImportController {

    private final RegistryImport registryImport;
    private final AuditTrail audit;

    RegistryImportController(RegistryImport registryImport, AuditTrail audit) {
        this.registryImport = registryImport;
        this.audit = audit;
    }

    @PostMapping("/api/registry/import")
    Counts importRegistry(@RequestBody Registry body, Authentication authentication) {
        Counts counts = registryImport.importRegistry(body);
        audit.record(Caller.of(authentication).username(), "registry-import", "registry",
                counts.villages() + " villages, " + counts.points() + " points, " + counts.units() + " units, "
                        + counts.members() + " members, " + counts.dutyPatterns() + " duty pattern days");
        return counts;
    }
}
