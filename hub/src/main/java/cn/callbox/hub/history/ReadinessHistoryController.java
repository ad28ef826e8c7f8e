package cn.callbox.hub.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.ForbiddenUnitException;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.Problems;

/**
 * {@code GET /api/units/{id}/readiness-history?from=&to=}: the unit's readiness over time, oldest first, from whichever
 * store is configured. {@code from}/{@code to} are ISO-8601 instants with an offset ({@code 2026-11-29T02:00:00Z} or
 * {@code …+08:00}); both ends included. Defaults: {@code to} = now, {@code from} = 24 h before {@code to}. Errors are
 * RFC 9457 problems: 404 for an unknown unit, 400 for a bad time or {@code from > to}, 503 when the store cannot be
 * read, 403 {@code forbidden-unit} when a unit leader asks for another unit.
 */
@RestController
class ReadinessHistoryController {

    static final Duration DEFAULT_SPAN = Duration.ofHours(24);

    private final ReadinessHistory history;
    private final TownshipDirectory directory;
    private final Clock clock;

    ReadinessHistoryController(ReadinessHistory history, TownshipDirectory directory, Clock clock) {
        this.history = history;
        this.directory = directory;
        this.clock = clock;
    }

    record ItemView(String kind, int required, int present) {
    }

    /** @param at ISO-8601 UTC */
    record EntryView(String at, String state, boolean ready, int onDuty, List<ItemView> items) {
    }

    @GetMapping("/api/units/{id}/readiness-history")
    List<EntryView> readinessHistory(@PathVariable String id, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), id);
        Instant end = to == null ? clock.instant() : parse("to", to);
        Instant start = from == null ? end.minus(DEFAULT_SPAN) : parse("from", from);
        if (start.isAfter(end)) {
            throw new BadQueryException("from (" + start + ") is after to (" + end + ")");
        }
        if (directory.unit(id).isEmpty()) {
            throw new UnknownUnitException("No unit '" + id + "'.");
        }
        return history.query(id, start, end).stream()
                .map(e -> new EntryView(e.at().toString(), e.state(), e.ready(), e.onDuty(),
                        e.items().stream().map(i -> new ItemView(i.kind(), i.required(), i.present())).toList()))
                .toList();
    }

    private static Instant parse(String name, String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadQueryException(name + " is not an ISO-8601 time with an offset, like 2026-11-29T02:00:00Z: '"
                    + value + "'");
        }
    }

    @ExceptionHandler
    ProblemDetail badQuery(BadQueryException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unknownUnit(UnknownUnitException e) {
        return Problems.of(HttpStatus.NOT_FOUND, "unit-not-found", "Unit not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail unavailable(ReadinessHistory.HistoryUnavailableException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "history-unavailable", "History unavailable",
                "The readiness history store cannot be read right now; try again later.");
    }

    static final class BadQueryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadQueryException(String message) {
            super(message);
        }
    }

    static final class UnknownUnitException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownUnitException(String message) {
            super(message);
        }
    }
}
