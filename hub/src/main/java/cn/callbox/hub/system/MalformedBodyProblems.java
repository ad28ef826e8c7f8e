package cn.callbox.hub.system;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers a request body that is not the JSON a call takes (or is missing) with 400 {@code malformed-body}, for every
 * controller; the title in the request's language (zh-CN by default). Ordered first: Spring Boot's problem-details
 * advice ({@code @Order(0)}) would otherwise answer before any feature's advice with a bare {@code about:blank} 400.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice
public class MalformedBodyProblems {

    private final MessageSource messages;

    public MalformedBodyProblems(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        String title = messages.getMessage("problem.malformed-body", null, "Malformed request body",
                LocaleContextHolder.getLocale());
        return Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", title,
                "the body is not the JSON object this call takes");
    }
}
