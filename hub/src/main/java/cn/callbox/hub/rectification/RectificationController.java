package cn.callbox.hub.rectification;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.ForbiddenUnitException;
import cn.callbox.hub.system.Caller;

/**
 * REST of the rectification loop. Reading: any hub role; a unit leader sees only their own unit's tasks (the list is
 * filtered, another unit's task is 403 {@code forbidden-unit}). {@code rectify}: admin, or the leader of the task's own
 * unit. {@code verify} and {@code reopen}: admin or dispatcher (security configuration). Errors are problem details
 * ({@link RectificationProblems}); a refused step changes nothing.
 */
@RestController
@RequestMapping("/api/rectifications")
class RectificationController {

    private final RectificationService service;

    RectificationController(RectificationService service) {
        this.service = service;
    }

    /** @param note what was done (required); @param evidence proof offered, optional */
    record RectifyRequest(String note, String evidence) {
    }

    /** @param note why it is reopened, optional */
    record ReopenRequest(String note) {
    }

    /** A request that cannot be carried out as sent. */
    static final class InvalidRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidRequestException(String message) {
            super(message);
        }
    }

    /** A unit leader acting on another unit's task. */
    static final class OtherUnitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OtherUnitException(String message) {
            super(message);
        }
    }

    @GetMapping
    List<RectificationView> list(Authentication user) {
        Caller caller = Caller.of(user);
        return service.all().stream().filter(t -> caller.maySee(t.unitId())).map(RectificationView::of).toList();
    }

    @GetMapping("/{id}")
    RectificationView one(@PathVariable String id, Authentication user) {
        Rectification task = service.get(id);
        ForbiddenUnitException.check(Caller.of(user), task.unitId());
        return RectificationView.of(task);
    }

    @PostMapping("/{id}/rectify")
    RectificationView rectify(@PathVariable String id, @RequestBody RectifyRequest body, Authentication user) {
        if (body == null || body.note() == null || body.note().isBlank()) {
            throw new InvalidRequestException("'note' is required: say what was done.");
        }
        if (body.note().length() > 1000 || (body.evidence() != null && body.evidence().length() > 1000)) {
            throw new InvalidRequestException("'note' and 'evidence' take at most 1000 characters each.");
        }
        Rectification task = service.get(id);
        Caller caller = Caller.of(user);
        // the security rule lets only admins and unit leaders in; a leader acts for their own unit only
        if (!caller.maySee(task.unitId())) {
            throw new OtherUnitException("Task " + id + " belongs to unit " + task.unitId()
                    + ": a unit leader may rectify only the tasks of their own unit.");
        }
        return RectificationView.of(service.rectify(id, body.note().strip(), blankToNull(body.evidence()),
                user.getName()));
    }

    @PostMapping("/{id}/verify")
    RectificationView verify(@PathVariable String id, Authentication user) {
        return RectificationView.of(service.verify(id, user.getName()));
    }

    @PostMapping("/{id}/reopen")
    RectificationView reopen(@PathVariable String id, @RequestBody(required = false) ReopenRequest body,
            Authentication user) {
        String note = body == null ? null : blankToNull(body.note());
        if (note != null && note.length() > 1000) {
            throw new InvalidRequestException("'note' takes at most 1000 characters.");
        }
        return RectificationView.of(service.reopen(id, note, user.getName()));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
