package cn.callbox.hub.supervision;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import cn.callbox.hub.supervision.SelfTestResults.SelfTestResult;

/**
 * Self-tests over REST: {@code POST /api/callboxes/{endpoint}/self-test} starts the box's silent self-test now (202;
 * the result is stored when the box answers; {@code ?audible=true} asks for the audible one, which announces itself and
 * sounds the siren's test pattern), {@code GET /api/callboxes/{endpoint}/self-tests} lists the stored results, newest first.
 * Unknown boxes give 404 and an offline box 409, as problem details; nothing is changed then.
 */
@RestController
@RequestMapping("/api/callboxes")
class SelfTestController {

    /** How many results the list shows at most. */
    static final int LIST_LIMIT = 100;

    private final SelfTests selfTests;

    SelfTestController(SelfTests selfTests) {
        this.selfTests = selfTests;
    }

    /** @param requestedAt when the hub sent the self-test */
    record SelfTestRequested(String endpoint, Instant requestedAt) {
    }

    @PostMapping("/{endpoint}/self-test")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SelfTestRequested runNow(@PathVariable String endpoint,
            @RequestParam(name = "audible", defaultValue = "false") boolean audible) {
        try {
            return new SelfTestRequested(endpoint,
                    selfTests.runNow(endpoint, audible ? SelfTestCommand.Mode.AUDIBLE : SelfTestCommand.Mode.SILENT));
        } catch (SelfTests.UnknownBoxException e) {
            throw notFound(endpoint);
        } catch (SelfTests.BoxOfflineException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "Call box '" + endpoint + "' is offline: its self-test cannot run now.");
        }
    }

    @GetMapping("/{endpoint}/self-tests")
    List<SelfTestResult> results(@PathVariable String endpoint) {
        try {
            return selfTests.resultsOf(endpoint, LIST_LIMIT);
        } catch (SelfTests.UnknownBoxException e) {
            throw notFound(endpoint);
        }
    }

    private static ResponseStatusException notFound(String endpoint) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No call box '" + endpoint + "'.");
    }
}
