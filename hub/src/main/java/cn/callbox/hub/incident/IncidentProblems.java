package cn.callbox.hub.incident;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/** Turns the incident API's errors into RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = IncidentController.class)
class IncidentProblems {

    @ExceptionHandler
    ProblemDetail notFound(IncidentNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "incident-not-found", "Incident not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail closed(IncidentClosedException e) {
        return Problems.of(HttpStatus.CONFLICT, "incident-closed", "Incident closed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail forbidden(IncidentForbiddenException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "other-unit", "Incident of another unit", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownUnit(UnknownUnitException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "unit-not-found", "Unit not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail alreadyAlerted(UnitAlreadyAlertedException e) {
        return Problems.of(HttpStatus.CONFLICT, "unit-already-alerted", "Unit already alerted", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notAlerted(NotAlertedMemberException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "member-not-alerted", "Member not in an alerted unit",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(IncidentController.InvalidRequestException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }
}
