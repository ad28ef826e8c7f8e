package cn.callbox.hub.training;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.ForbiddenUnitException;
import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.training.JdbcTrainingRecords.Training;
import cn.callbox.hub.training.TrainingRuleException.Rule;

/**
 * Training records of the units (township plan §7.1) and their quarterly coverage.
 * <ul>
 * <li>{@code GET /api/units/{id}/trainings?year=}: the unit's trainings of the year (default: this year), newest
 * first; any role, a unit leader only for their own unit.</li>
 * <li>{@code POST /api/units/{id}/trainings} {@code {"date","kind","topic","attendees"}}: admin or the unit's own
 * leader (the API's security and this controller); 201 with the record.</li>
 * <li>{@code GET /api/trainings/coverage?year=}: per unit and quarter, online and offline done, and the gaps (kinds
 * missing in quarters that have ended); a unit leader sees their own unit only.</li>
 * </ul>
 * Errors ({@link TrainingProblems}): 400 malformed body or year, 403 {@code forbidden-unit}, 404 unknown unit, 422
 * {@code training-rule} naming the rule.
 */
@RestController
class TrainingController {

    private final TrainingService trainings;
    private final TownshipDirectory directory;

    TrainingController(TrainingService trainings, TownshipDirectory directory) {
        this.trainings = trainings;
        this.directory = directory;
    }

    /** @param date ISO-8601 local date; @param kind {@code online} or {@code offline}; @param attendees member ids */
    record NewTraining(String date, String kind, String topic, List<String> attendees) {
    }

    /** @param recordedAt ISO-8601 UTC */
    record TrainingView(long id, String unit, String date, String kind, String topic, List<String> attendees,
            String recordedBy, String recordedAt) {

        static TrainingView of(Training t) {
            return new TrainingView(t.id(), t.unitId(), t.day().toString(), t.kind().wireName(), t.topic(),
                    t.attendees(), t.recordedBy(), t.recordedAt().toString());
        }
    }

    /**
     * @param from first day of the quarter; @param to last day
     * @param state {@code done} (both kinds), {@code gap} (ended with a kind missing), {@code due} (under way) or
     *        {@code future}
     */
    record QuarterView(int quarter, String from, String to, boolean online, boolean offline, String state) {
    }

    record GapView(int quarter, String kind) {
    }

    record UnitCoverageView(String unit, String name, List<QuarterView> quarters, List<GapView> gaps) {
    }

    /** @param today the township's date the quarters were judged on */
    record CoverageView(int year, String today, List<UnitCoverageView> units) {
    }

    /** A malformed parameter. */
    static final class BadRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequestException(String message) {
            super(message);
        }
    }

    @GetMapping("/api/units/{unitId}/trainings")
    List<TrainingView> list(@PathVariable String unitId, @RequestParam(required = false) String year,
            Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        return trainings.trainings(unitId, year(year)).stream().map(TrainingView::of).toList();
    }

    @PostMapping("/api/units/{unitId}/trainings")
    @ResponseStatus(HttpStatus.CREATED)
    TrainingView add(@PathVariable String unitId, @RequestBody NewTraining body, Authentication authentication) {
        ForbiddenUnitException.check(Caller.of(authentication), unitId);
        return TrainingView.of(trainings.addTraining(unitId, date(body.date()), body.kind(), body.topic(),
                body.attendees(), authentication.getName()));
    }

    @GetMapping("/api/trainings/coverage")
    CoverageView coverage(@RequestParam(required = false) String year, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        int y = year(year);
        List<UnitInfo> units = directory.units().stream().filter(u -> caller.maySee(u.id())).toList();
        List<TrainingCoverage.UnitCoverage> coverage = trainings.coverage(y,
                units.stream().map(UnitInfo::id).toList());
        List<UnitCoverageView> views = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            TrainingCoverage.UnitCoverage c = coverage.get(i);
            views.add(new UnitCoverageView(c.unitId(), units.get(i).name(),
                    c.quarters().stream().map(q -> new QuarterView(q.quarter(), q.from().toString(),
                            q.to().toString(), q.online(), q.offline(), q.state().wireName())).toList(),
                    c.gaps().stream().map(g -> new GapView(g.quarter(), g.kind().wireName())).toList()));
        }
        return new CoverageView(y, trainings.today().toString(), views);
    }

    private int year(String text) {
        if (text == null) {
            return trainings.today().getYear();
        }
        try {
            int y = Integer.parseInt(text.strip());
            if (y >= 2000 && y <= 2100) {
                return y;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("\"year\" is a year from 2000 to 2100: " + text);
    }

    /** A date from a body: a malformed one breaks the date rule (422), like a missing or future one. */
    static LocalDate date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new TrainingRuleException(Rule.DATE, "got '" + text + "'");
        }
    }
}
