package cn.callbox.hub.drill;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.ConsoleRole;

/**
 * REST of the readiness drills. Every call: admin, dispatcher or police (security configuration; unit leaders get 403,
 * the plan is a surprise for the units). Errors are problem details ({@link DrillProblems}); a refused call changes
 * nothing. {@code year} defaults to the current township year.
 */
@RestController
@RequestMapping("/api/drills")
class DrillController {

    /** Years the API accepts at all. */
    private static final int MIN_YEAR = 2020;
    private static final int MAX_YEAR = 2100;

    private final DrillService service;

    DrillController(DrillService service) {
        this.service = service;
    }

    /** @param perMonth at least 3; 3 when absent */
    record PlanRequest(Integer year, Integer perMonth) {
    }

    /** Either the unit to drill now or the plan entry to run now. */
    record StartRequest(String unit, String planId) {
    }

    /** A unit leader calling the drill API (the plan is a surprise for the units). */
    static final class UnitLeaderException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnitLeaderException(String message) {
            super(message);
        }
    }

    @PostMapping("/plan")
    List<DrillService.PlanEntryView> plan(@RequestBody PlanRequest body, Authentication authentication) {
        String actor = township(authentication);
        if (body == null || body.year() == null) {
            throw new DrillService.InvalidException("'year' is required");
        }
        int perMonth = body.perMonth() == null ? DrillPlanner.TOWNSHIP_MINIMUM_PER_MONTH : body.perMonth();
        return service.plan(body.year(), perMonth, actor);
    }

    @GetMapping("/plan")
    List<DrillService.PlanEntryView> plan(@RequestParam(required = false) Integer year,
            Authentication authentication) {
        township(authentication);
        return service.planEntries(year(year));
    }

    @GetMapping("/coverage")
    DrillCoverage.Coverage coverage(@RequestParam(required = false) Integer year, Authentication authentication) {
        township(authentication);
        return service.coverage(year(year));
    }

    @GetMapping("/reports")
    DrillReports.Reports reports(@RequestParam(required = false) Integer year, Authentication authentication) {
        township(authentication);
        return service.reports(year(year));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    DrillService.DrillView start(@RequestBody StartRequest body, Authentication authentication) {
        String actor = township(authentication);
        if (body == null) {
            throw new DrillService.InvalidException("give the 'unit' to drill or the 'planId' of a planned drill");
        }
        return service.start(blankToNull(body.unit()), blankToNull(body.planId()), actor);
    }

    @GetMapping
    List<DrillService.DrillView> list(Authentication authentication) {
        township(authentication);
        return service.list();
    }

    @GetMapping("/{id}")
    DrillService.DrillView one(@PathVariable String id, Authentication authentication) {
        township(authentication);
        return service.find(id);
    }

    /**
     * Unit leaders may not use the drill API: the security configuration lets every role GET under {@code /api/**},
     * so the controller refuses them itself.
     *
     * @return the caller's user name
     */
    private static String township(Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (caller.role() == ConsoleRole.UNIT_LEADER) {
            throw new UnitLeaderException("drills are run by the command centre and the police station; a unit "
                    + "leader may not see or start them");
        }
        return caller.username();
    }

    private int year(Integer year) {
        if (year == null) {
            return service.currentYear();
        }
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new DrillService.InvalidException("'year' must be between " + MIN_YEAR + " and " + MAX_YEAR);
        }
        return year;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
