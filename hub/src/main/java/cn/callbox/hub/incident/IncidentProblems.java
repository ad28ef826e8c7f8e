package cn.callbox.hub.incident;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the incident API's errors into RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = IncidentController.class)
class IncidentProblems {

    @ExceptionHandler
    ProblemDetail notFound(IncidentNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "incident-not-found", "Incident not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail closed(IncidentClosedException e) {
        return problem(HttpStatus.CONFLICT, "incident-closed", "Incident closed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notAlerted(NotAlertedMemberException e) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "member-not-alerted", "Member not in an alerted unit",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(IncidentController.InvalidRequestException e) {
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
