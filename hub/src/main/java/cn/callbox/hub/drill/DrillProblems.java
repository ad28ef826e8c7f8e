package cn.callbox.hub.drill;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import cn.callbox.hub.system.Problems;

/**
 * Turns the drill API's errors into RFC 9457 problem details. Ordered first: Spring Boot's problem-details advice
 * ({@code @Order(0)}) would otherwise answer a query parameter of the wrong type with a bare {@code about:blank} 400.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = DrillController.class)
class DrillProblems {

    @ExceptionHandler
    ProblemDetail notFound(DrillService.NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "drill-not-found", "Drill, planned drill or unit not found",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unitLeader(DrillController.UnitLeaderException e) {
        return Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(DrillService.ConflictException e) {
        return Problems.of(HttpStatus.CONFLICT, "drill-ran", "Planned drill ran already", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(DrillService.InvalidException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-drill-request", "Invalid drill request",
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "'" + e.getName() + "' must be a number");
    }
}
