package cn.callbox.hub.announcement;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/** Turns the announcement API's errors into RFC 9457 problem details. */
@RestControllerAdvice(assignableTypes = AnnouncementController.class)
class AnnouncementProblems {

    @ExceptionHandler
    ProblemDetail invalid(AnnouncementException.Invalid e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    /** Names the unknown ids in the detail and in the {@code unknown} property. */
    @ExceptionHandler
    ProblemDetail unknownTargets(AnnouncementException.UnknownTargets e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "unknown-targets",
                "Unknown or empty announcement targets", e.getMessage());
        problem.setProperty("unknown", e.unknown());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail notFound(AnnouncementException.ScheduleNotFound e) {
        return Problems.of(HttpStatus.NOT_FOUND, "announcement-schedule-not-found",
                "Announcement schedule not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail otherUnit(AnnouncementException.OtherUnit e) {
        return Problems.of(HttpStatus.FORBIDDEN, "other-unit", "Not for your unit", e.getMessage());
    }
}
