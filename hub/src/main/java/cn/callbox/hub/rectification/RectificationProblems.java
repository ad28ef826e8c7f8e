package cn.callbox.hub.rectification;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/** Turns the rectification API's errors into RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = RectificationController.class)
class RectificationProblems {

    @ExceptionHandler
    ProblemDetail notFound(RectificationNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "rectification-not-found", "Rectification task not found",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail wrongState(RectificationStateException e) {
        return Problems.of(HttpStatus.CONFLICT, "rectification-state", "Not possible in the task's state",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail otherUnit(RectificationController.OtherUnitException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "other-unit", "Task of another unit", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(RectificationController.InvalidRequestException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }
}
