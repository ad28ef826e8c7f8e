package cn.callbox.hub.registry;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.registry.CallBoxEnrolment.CallBoxTakenException;
import cn.callbox.hub.registry.CallBoxEnrolment.NoSuchCallBoxException;
import cn.callbox.hub.registry.RegistryImport.ImportRejectedException;
import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.system.Problems;

/**
 * Problem details of the enrolment and import APIs. A broken rule is 422 {@code registry-rule} with the members
 * {@code rule} (e.g. {@code psk-key-hex}) and {@code subject}; a rejected import is 422 {@code registry-import} with
 * {@code errors}: {@code [{"path","rule","text"}]}. Messages never hold a key.
 */
@RestControllerAdvice(assignableTypes = { CallBoxEnrolmentController.class, RegistryImportController.class })
class EnrolmentProblems {

    @ExceptionHandler
    ProblemDetail ruleBroken(RegistryRuleException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "registry-rule", "Registry rule broken",
                e.getMessage());
        problem.setProperty("rule", e.rule().wireName());
        problem.setProperty("subject", e.subject());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail importRejected(ImportRejectedException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "registry-import",
                "Registry import refused", e.getMessage() + "; nothing was imported");
        problem.setProperty("errors", e.errors());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail taken(CallBoxTakenException e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "callbox-taken", "Endpoint or identity taken",
                e.getMessage());
        problem.setProperty("rule", Rule.UNIQUE_ID.wireName());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail notFound(NoSuchCallBoxException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "callbox-not-found", "No such call box", e.getMessage());
    }

    /** Another change got in between the checks and the write (the checks run in the same transaction). */
    @ExceptionHandler
    ProblemDetail conflict(DataIntegrityViolationException e) {
        return Problems.of(HttpStatus.CONFLICT, "registry-conflict", "Registry changed meanwhile",
                "the registry changed while this request ran; nothing was written, try again");
    }
}
