package cn.callbox.hub.registry;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.dao.DataAccessResourceFailureException;

import cn.callbox.hub.system.DatabaseWatch;

/**
 * The township directory as the alarm path needs it while the database is down: every answer comes from the database
 * when it answers and is remembered; while it does not ({@link DatabaseWatch}), the last answer to the same question
 * is given at once. {@link #reload()} (at start and every half minute) asks every question the alarm path asks, so
 * that boxes, units, members and today's duty are in memory before an outage, including those nobody asked for yet.
 * <p>
 * A question never answered before the outage still fails, as the database does. Thread-safe.
 */
final class LastKnownTownshipDirectory implements TownshipDirectory {

    private final TownshipDirectory database;
    private final DatabaseWatch watch;
    private final Supplier<LocalDate> today;
    private final Map<String, Object> answers = new ConcurrentHashMap<>();

    /** @param today the township's date, for the duty preloaded by {@link #reload()} */
    LastKnownTownshipDirectory(TownshipDirectory database, DatabaseWatch watch, Supplier<LocalDate> today) {
        this.database = Objects.requireNonNull(database, "database");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.today = Objects.requireNonNull(today, "today");
    }

    @Override
    public Optional<CallBoxInfo> callBox(String endpoint) {
        return ask("callBox " + endpoint, () -> database.callBox(endpoint));
    }

    @Override
    public List<CallBoxInfo> callBoxes() {
        return ask("callBoxes", database::callBoxes);
    }

    @Override
    public Optional<UnitInfo> unit(String unitId) {
        return ask("unit " + unitId, () -> database.unit(unitId));
    }

    @Override
    public List<UnitInfo> units() {
        return ask("units", database::units);
    }

    @Override
    public List<MemberInfo> members(String unitId) {
        return ask("members " + unitId, () -> database.members(unitId));
    }

    @Override
    public DutyDay duty(String unitId, LocalDate day) {
        return ask("duty " + unitId + " " + day, () -> database.duty(unitId, day));
    }

    /** Asks the database every question the alarm path asks; does nothing while it does not answer. */
    void reload() {
        if (!watch.answering()) {
            return;
        }
        LocalDate day = today.get();
        for (CallBoxInfo box : callBoxes()) {
            callBox(box.endpoint());
        }
        for (UnitInfo unit : units()) {
            unit(unit.id());
            members(unit.id());
            duty(unit.id(), day);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T ask(String question, Supplier<T> query) {
        if (watch.answering()) {
            try {
                T answer = query.get();
                answers.put(question, answer);
                return answer;
            } catch (RuntimeException e) {
                if (!DatabaseWatch.isOutage(e)) {
                    throw e;
                }
                watch.failed(e);
            }
        }
        Object known = answers.get(question);
        if (known == null) {
            throw new DataAccessResourceFailureException(
                    "the database does not answer and the registry has no earlier answer to: " + question);
        }
        return (T) known;
    }
}
