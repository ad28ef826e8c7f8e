package cn.callbox.hub.training;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.registry.ForbiddenUnitException;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.training.JdbcTrainingRecords.Commendation;

/**
 * Commendations of members (township plan §7.4).
 * <ul>
 * <li>{@code GET /api/commendations?unit=}: newest first, optionally of one unit; any role, a unit leader sees their
 * own unit's only (asking for another unit is 403 {@code forbidden-unit}).</li>
 * <li>{@code POST /api/commendations} {@code {"memberId","date","reason","incidentId"}} ({@code incidentId}
 * optional): admin only (the API's security); 201 with the record.</li>
 * </ul>
 * Errors ({@link TrainingProblems}): 400 malformed body, 422 {@code training-rule} naming the rule
 * ({@code known-member}, {@code date}, {@code reason}, {@code known-incident}).
 */
@RestController
@RequestMapping("/api/commendations")
class CommendationController {

    private final TrainingService trainings;

    CommendationController(TrainingService trainings) {
        this.trainings = trainings;
    }

    /** @param date ISO-8601 local date; @param incidentId null when the commendation is for no one incident */
    record NewCommendation(String memberId, String date, String reason, String incidentId) {
    }

    /** @param recordedAt ISO-8601 UTC */
    record CommendationView(long id, String memberId, String memberName, String unit, String date, String reason,
            String incidentId, String recordedBy, String recordedAt) {

        static CommendationView of(Commendation c) {
            return new CommendationView(c.id(), c.memberId(), c.memberName(), c.unitId(), c.day().toString(),
                    c.reason(), c.incidentId(), c.recordedBy(), c.recordedAt().toString());
        }
    }

    @GetMapping
    List<CommendationView> list(@RequestParam(required = false) String unit, Authentication authentication) {
        Caller caller = Caller.of(authentication);
        if (unit != null) {
            ForbiddenUnitException.check(caller, unit);
        }
        return trainings.commendations().stream()
                .filter(c -> caller.maySee(c.unitId()) && (unit == null || unit.equals(c.unitId())))
                .map(CommendationView::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CommendationView add(@RequestBody NewCommendation body, Authentication authentication) {
        return CommendationView.of(trainings.commend(body.memberId(), TrainingController.date(body.date()),
                body.reason(), body.incidentId(), authentication.getName()));
    }
}
