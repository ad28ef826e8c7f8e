package cn.callbox.hub.firmware;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/**
 * Turns the roll-out API's errors into RFC 9457 problem details. Ordered first: Spring Boot's own problem-details
 * advice ({@code @Order(0)}) would otherwise answer an unreadable body without the {@code malformed-body} type.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = RolloutController.class)
class RolloutProblems {

    @ExceptionHandler
    ProblemDetail notFound(RolloutService.NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "rollout-not-found", "Firmware roll-out not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail firmwareNotFound(RolloutService.FirmwareNotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "firmware-not-found", "Firmware package not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(RolloutService.InvalidException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "rollout-invalid", "Invalid roll-out request",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail running(RolloutService.RunningException e) {
        return Problems.of(HttpStatus.CONFLICT, "rollout-running", "Another roll-out is running", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail notRunning(RolloutService.NotRunningException e) {
        return Problems.of(HttpStatus.CONFLICT, "rollout-not-running", "Roll-out not running", e.getMessage());
    }
}
