package cn.callbox.hub.training;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.system.Problems;

/**
 * Problem details of the training and commendation APIs. A broken rule is 422 {@code training-rule} with the member
 * {@code rule} (e.g. {@code attendee-member}).
 */
@RestControllerAdvice(assignableTypes = { TrainingController.class, CommendationController.class })
class TrainingProblems {

    @ExceptionHandler
    ProblemDetail rule(TrainingRuleException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "training-rule", "Training rule broken",
                e.getMessage());
        problem.setProperty("rule", e.rule().wireName());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail unknownUnit(TrainingService.UnknownUnitException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "unit-not-found", "Unit not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail badRequest(TrainingController.BadRequestException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }
}
