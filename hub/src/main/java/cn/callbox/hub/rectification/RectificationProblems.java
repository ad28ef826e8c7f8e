package cn.callbox.hub.rectification;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the rectification API's errors into RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = RectificationController.class)
class RectificationProblems {

    @ExceptionHandler
    ProblemDetail notFound(RectificationNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "rectification-not-found", "Rectification task not found",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail wrongState(RectificationStateException e) {
        return problem(HttpStatus.CONFLICT, "rectification-state", "Not possible in the task's state",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail otherUnit(RectificationController.OtherUnitException e) {
        return problem(HttpStatus.FORBIDDEN, "other-unit", "Task of another unit", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(RectificationController.InvalidRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                "the body is not the JSON object this call takes");
    }

    private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:callbox:problem:" + type));
        problem.setTitle(title);
        return problem;
    }
}
