package cn.callbox.hub.firmware;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.callbox.hub.system.Caller;

/**
 * REST of firmware roll-outs (admin only: security configuration, {@code /api/firmware/**}). Errors are problem
 * details ({@link RolloutProblems}); a refused call changes nothing.
 */
@RestController
@RequestMapping("/api/firmware/rollouts")
class RolloutController {

    private final RolloutService service;

    RolloutController(RolloutService service) {
        this.service = service;
    }

    /**
     * @param firmware the package id
     * @param endpoints the boxes in update order; absent: every enrolled box that is not retired, by endpoint
     * @param waveSize 1..100; absent: 5
     */
    record StartRequest(String firmware, List<String> endpoints, Integer waveSize) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    RolloutService.RolloutView start(@RequestBody StartRequest body, Authentication authentication) {
        String actor = Caller.of(authentication).username();
        if (body == null) {
            throw new RolloutService.InvalidException("'firmware' (the id of an uploaded package) is required");
        }
        String requestBase = ServletUriComponentsBuilder.fromCurrentContextPath().toUriString();
        return service.start(body.firmware(), body.endpoints(), body.waveSize(), requestBase, actor);
    }

    /** The newest first, without their boxes. */
    @GetMapping
    List<RolloutService.RolloutSummary> list() {
        return service.list();
    }

    @GetMapping("/{id}")
    RolloutService.RolloutView one(@PathVariable String id) {
        return service.find(id);
    }

    @PostMapping("/{id}/cancel")
    RolloutService.RolloutView cancel(@PathVariable String id, Authentication authentication) {
        return service.cancel(id, Caller.of(authentication).username());
    }
}
