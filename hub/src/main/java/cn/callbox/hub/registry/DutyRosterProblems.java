package cn.callbox.hub.registry;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.system.Problems;

/**
 * Turns the roster and unit APIs' errors into RFC 9457 problem details. A broken rule is 422 with the members {@code rule}
 * (e.g. {@code min-on-duty}), {@code ruleText} (the rule in the request's language, zh-CN by default) and
 * {@code subject} (e.g. {@code duty of unit hs-x on 2024-07-30}); {@code detail} says all of it in English.
 */
@RestControllerAdvice(assignableTypes = { DutyRosterController.class, UnitController.class })
class DutyRosterProblems {

    private final MessageSource messages;

    DutyRosterProblems(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler
    ProblemDetail ruleBroken(RegistryRuleException e) {
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "roster-rule",
                text("roster.problem.rule", "Duty rule broken"), e.getMessage());
        problem.setProperty("rule", e.rule().wireName());
        problem.setProperty("ruleText", text("roster.rule." + e.rule().wireName(), e.rule().text()));
        problem.setProperty("subject", e.subject());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail taken(UnitController.UnitTakenException e) {
        ProblemDetail problem = Problems.of(HttpStatus.CONFLICT, "unit-taken", text("roster.problem.taken",
                "Id taken"), e.getMessage());
        problem.setProperty("rule", Rule.UNIQUE_ID.wireName());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail notFound(UnknownRosterEntryException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "roster-not-found", text("roster.problem.notFound", "Not found"),
                e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail invalid(DutyRosterController.InvalidRosterRequestException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", text("roster.problem.invalid", "Invalid request"),
                e.getMessage());
    }

    private String text(String key, String fallback) {
        Locale locale = LocaleContextHolder.getLocale();
        return messages.getMessage(key, null, fallback, locale);
    }
}
