package cn.callbox.hub.registry;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.AuditTrail;

/**
 * Creating and changing units: {@code POST /api/units} and {@code PATCH /api/units/{id}}, admin only (the API's
 * security). Both answer the unit as {@code GET /api/units} lists it. Errors are problem details
 * ({@link DutyRosterProblems}): 400 malformed body, 404 unknown unit, 409 {@code unit-taken}, 422 {@code roster-rule}
 * naming the rule ({@code valid-id}, {@code required-field}, {@code text-length}, {@code coordinates},
 * {@code known-reference}); nothing changes then. Changes are audited ({@code unit-create}, {@code unit-change}).
 */
@RestController
@RequestMapping("/api/units")
class UnitController {

    private final RegistryService registry;
    private final TownshipDirectory directory;
    private final AuditTrail audit;

    UnitController(RegistryService registry, TownshipDirectory directory, AuditTrail audit) {
        this.registry = registry;
        this.directory = directory;
        this.audit = audit;
    }

    record NewUnit(String id, String name, String villageId, Double lat, Double lon) {
    }

    /** Fields left out (or null) stay as they are. */
    record UnitPatch(String name, Double lat, Double lon) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RegistryApiController.UnitSummary create(@RequestBody NewUnit body, Authentication authentication) {
        String subject = "unit " + body.id();
        if (body.lat() == null || body.lon() == null) {
            throw new RegistryRuleException(Rule.REQUIRED_FIELD, subject, "lat and lon are required");
        }
        RegistryRules.id("unit", body.id());
        if (directory.unit(body.id()).isPresent()) {
            throw new UnitTakenException(body.id());
        }
        registry.createUnit(body.id(), body.name(), body.villageId(), body.lat(), body.lon());
        UnitInfo unit = directory.unit(body.id()).orElseThrow();
        audit.record(authentication.getName(), "unit-create", unit.id(),
                unit.name() + ", village " + unit.villageId() + ", " + unit.lat() + ", " + unit.lon());
        return RegistryApiController.summary(unit);
    }

    @PatchMapping("/{id}")
    RegistryApiController.UnitSummary change(@PathVariable String id, @RequestBody UnitPatch body,
            Authentication authentication) {
        if (body.name() == null && body.lat() == null && body.lon() == null) {
            throw new DutyRosterController.InvalidRosterRequestException(
                    "the body needs \"name\", \"lat\" and/or \"lon\"");
        }
        if (!registry.changeUnit(id, body.name(), body.lat(), body.lon())) {
            throw new UnknownRosterEntryException("No unit '" + id + "'.");
        }
        UnitInfo unit = directory.unit(id).orElseThrow();
        audit.record(authentication.getName(), "unit-change", id,
                unit.name() + ", " + unit.lat() + ", " + unit.lon());
        return RegistryApiController.summary(unit);
    }

    /** The unit id is registered already. */
    static final class UnitTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnitTakenException(String id) {
            super("The unit id '" + id + "' is taken.");
        }
    }
}
