package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cn.callbox.hub.registry.JdbcDutyRoster.DayPlan;
import cn.callbox.hub.registry.JdbcDutyRoster.Resolved;
import cn.callbox.hub.registry.JdbcDutyRoster.Source;
import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.registry.TownshipSeed.Member;

/**
 * Duty rosters on H2 (the hub's clock at {@link TestDatabase#NOW}: Tuesday 2024-07-30 in the township);
 * {@link PostgresDutyRosterServiceTest} runs the same tests on PostgreSQL.
 */
class DutyRosterServiceTest {

    static final LocalDate TODAY = LocalDate.of(2024, 7, 30);
    static final LocalDate TOMORROW = TODAY.plusDays(1);

    private final TestDatabase db = database();
    private final List<String> told = new ArrayList<>();
    private final DutyRosterService roster = new DutyRosterService(db.jdbc, db.transactions,
            () -> List.of((unit, day) -> told.add(unit + "@" + day)), db.clock);
    private final TownshipDirectory directory = db.directory();

    /** The one thing the database variants change. Called while constructing the test: use no instance state. */
    TestDatabase database() {
        return new TestDatabase();
    }

    DutyRosterServiceTest() {
        List<Member> members = RegistryServiceTest.members("u1", 7, true);
        db.registry().importTownship(RegistryServiceTest.township(members,
                List.of(RegistryServiceTest.duty("u1", TODAY, "u1-m7", "u1-m6", "u1-m5"),
                        RegistryServiceTest.duty("u1", TOMORROW, "u1-m7", "u1-m6", "u1-m5"))));
    }

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    /** Weekdays: m1 leads with m2, m3; weekends: m4 leads with m5, m6. */
    static Map<DayOfWeek, DayPlan> week() {
        Map<DayOfWeek, DayPlan> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            week.put(day, day.getValue() <= 5 ? DayPlan.of("u1-m1", List.of("u1-m2", "u1-m3"))
                    : DayPlan.of("u1-m4", List.of("u1-m5", "u1-m6")));
        }
        return week;
    }

    @Test
    void without_a_pattern_the_per_day_plan_applies_and_a_pattern_replaces_it() {
        assertThat(roster.duty("u1", TODAY, TODAY).get(0).source()).isEqualTo(Source.PLANNED);
        assertThat(directory.duty("u1", TODAY).leaderId()).isEqualTo("u1-m7");
        assertThat(directory.duty("u1", TODAY.plusDays(2))).isEqualTo(new DutyDay("u1", TODAY.plusDays(2), null,
                List.of()));

        roster.replacePattern("u1", week());

        assertThat(directory.duty("u1", TODAY)).isEqualTo(new DutyDay("u1", TODAY, "u1-m1",
                List.of("u1-m1", "u1-m2", "u1-m3")));
        LocalDate saturday = LocalDate.of(2024, 8, 3);
        assertThat(directory.duty("u1", saturday)).isEqualTo(new DutyDay("u1", saturday, "u1-m4",
                List.of("u1-m4", "u1-m5", "u1-m6")));
        assertThat(directory.duty("u1", saturday.plusWeeks(52)).leaderId()).isEqualTo("u1-m4");
        assertThat(roster.roster("u1").pattern()).hasSize(7);
        assertThat(told).containsExactly("u1@" + TODAY);
    }

    @Test
    void a_swap_changes_one_day_of_the_pattern_and_an_override_wins_over_both() {
        roster.replacePattern("u1", week());
        told.clear();

        Resolved swapped = roster.swap("u1", TOMORROW, "u1-m1", "u1-m7");
        assertThat(swapped.source()).isEqualTo(Source.PATTERN);
        assertThat(swapped.plan()).isEqualTo(new DayPlan("u1-m7", List.of("u1-m2", "u1-m3", "u1-m7")));
        assertThat(directory.duty("u1", TOMORROW).leaderId()).as("the leader's swap hands over the lead")
                .isEqualTo("u1-m7");
        assertThat(directory.duty("u1", TOMORROW.plusWeeks(1)).leaderId()).as("only that day").isEqualTo("u1-m1");
        roster.swap("u1", TOMORROW, "u1-m2", "u1-m1");
        assertThat(directory.duty("u1", TOMORROW).onDuty()).containsExactly("u1-m1", "u1-m3", "u1-m7");

        roster.putOverride("u1", TOMORROW, DayPlan.of("u1-m5", List.of("u1-m4", "u1-m6", "u1-m2")));
        Resolved overridden = roster.duty("u1", TOMORROW, TOMORROW).get(0);
        assertThat(overridden.source()).isEqualTo(Source.OVERRIDE);
        assertThat(overridden.plan()).isEqualTo(new DayPlan("u1-m5", List.of("u1-m2", "u1-m4", "u1-m5", "u1-m6")));
        assertThat(roster.roster("u1").overrides()).containsOnlyKeys(TOMORROW);
        assertThat(roster.roster("u1").swaps()).hasSize(2);

        Resolved back = roster.removeOverride("u1", TOMORROW);
        assertThat(back.source()).isEqualTo(Source.PATTERN);
        assertThat(back.plan().onDuty()).as("the swaps apply again").containsExactly("u1-m1", "u1-m3", "u1-m7");
        assertThat(told).containsExactly("u1@" + TOMORROW, "u1@" + TOMORROW, "u1@" + TOMORROW, "u1@" + TOMORROW);
    }

    @Test
    void a_swap_applies_to_the_per_day_plan_of_a_unit_without_pattern() {
        roster.swap("u1", TODAY, "u1-m6", "u1-m1");

        assertThat(directory.duty("u1", TODAY)).isEqualTo(new DutyDay("u1", TODAY, "u1-m7",
                List.of("u1-m1", "u1-m5", "u1-m7")));
    }

    @Test
    void members_are_added_and_their_role_and_residency_changed() {
        roster.addMember("u1", new Member("u1-m8", "新队员", "村医", false, null, null));
        assertThat(roster.memberList("u1")).hasSize(8);
        assertThat(roster.changeMember("u1", "u1-m8", null, true).resident()).isTrue();
        assertThat(roster.changeMember("u1", "u1-m8", "民兵", null).role()).isEqualTo("民兵");
        assertThat(roster.changeMember("u1", "u1-m1", null, false).resident()).as("m1 is on no duty").isFalse();
        assertThat(told).containsOnly("u1@" + TODAY).hasSize(4);
    }

    @Test
    void unknown_units_members_and_overrides_are_named() {
        assertThatThrownBy(() -> roster.roster("nope")).isInstanceOf(UnknownRosterEntryException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> roster.replacePattern("nope", week()))
                .isInstanceOf(UnknownRosterEntryException.class);
        assertThatThrownBy(() -> roster.changeMember("u1", "u9-m1", "民兵", null))
                .isInstanceOf(UnknownRosterEntryException.class).hasMessageContaining("u9-m1");
        assertThatThrownBy(() -> roster.removeOverride("u1", TOMORROW))
                .isInstanceOf(UnknownRosterEntryException.class).hasMessageContaining("override");
        assertThat(told).isEmpty();
    }

    private static final Consumer<DutyRosterService> NOTHING = r -> {
    };

    /**
     * Each case: a valid setup (kept), then a change that breaks a rule, the rule, and words the message must hold
     * (the unit, day or member).
     */
    static Stream<Arguments> violations() {
        Consumer<DutyRosterService> outsider = r -> r.addMember("u1", new Member("u1-m9", "外地人", "民兵", false, null,
                null));
        return Stream.of(
                violation("pattern day without leader", Rule.ONE_DUTY_LEADER, "on monday", NOTHING,
                        r -> r.replacePattern("u1", with(week(), DayOfWeek.MONDAY,
                                DayPlan.of(null, List.of("u1-m1", "u1-m2", "u1-m3"))))),
                violation("pattern day of two", Rule.MIN_ON_DUTY, "on wednesday", NOTHING,
                        r -> r.replacePattern("u1", with(week(), DayOfWeek.WEDNESDAY,
                                DayPlan.of("u1-m1", List.of("u1-m2"))))),
                violation("pattern day with a stranger", Rule.DUTY_OWN_MEMBERS, "stranger", NOTHING,
                        r -> r.replacePattern("u1", with(week(), DayOfWeek.FRIDAY,
                                DayPlan.of("u1-m1", List.of("u1-m2", "stranger"))))),
                violation("pattern day with a non-resident", Rule.ON_DUTY_RESIDENT, "u1-m9", outsider,
                        r -> r.replacePattern("u1", with(week(), DayOfWeek.FRIDAY,
                                DayPlan.of("u1-m1", List.of("u1-m2", "u1-m9"))))),
                violation("pattern without sunday", Rule.WEEK_COMPLETE, "sunday", NOTHING,
                        r -> {
                            Map<DayOfWeek, DayPlan> week = week();
                            week.remove(DayOfWeek.SUNDAY);
                            r.replacePattern("u1", week);
                        }),
                violation("pattern that strands a swap", Rule.SWAP_FROM_ON_DUTY, "2024-07-31",
                        r -> r.swap("u1", TOMORROW, "u1-m7", "u1-m4"), r -> r.replacePattern("u1", week())),
                violation("override of two", Rule.MIN_ON_DUTY, "duty of unit u1 on 2024-07-31", NOTHING,
                        r -> r.putOverride("u1", TOMORROW, DayPlan.of("u1-m1", List.of("u1-m2")))),
                violation("override without leader", Rule.ONE_DUTY_LEADER, "duty of unit u1 on 2024-07-31", NOTHING,
                        r -> r.putOverride("u1", TOMORROW, DayPlan.of(null, List.of("u1-m1", "u1-m2", "u1-m3")))),
                violation("override with a non-resident", Rule.ON_DUTY_RESIDENT, "u1-m9", outsider,
                        r -> r.putOverride("u1", TOMORROW, DayPlan.of("u1-m9", List.of("u1-m1", "u1-m2")))),
                violation("override of yesterday", Rule.PAST_DAY, "2024-07-29", NOTHING,
                        r -> r.putOverride("u1", TODAY.minusDays(1), DayPlan.of("u1-m1", List.of("u1-m2", "u1-m3")))),
                violation("swap of someone off duty", Rule.SWAP_FROM_ON_DUTY, "duty of unit u1 on 2024-07-31", NOTHING,
                        r -> r.swap("u1", TOMORROW, "u1-m1", "u1-m2")),
                violation("swap to someone on duty", Rule.SWAP_TO_OFF_DUTY, "u1-m6", NOTHING,
                        r -> r.swap("u1", TOMORROW, "u1-m7", "u1-m6")),
                violation("swap to a stranger", Rule.DUTY_OWN_MEMBERS, "stranger", NOTHING,
                        r -> r.swap("u1", TOMORROW, "u1-m7", "stranger")),
                violation("swap to a non-resident", Rule.ON_DUTY_RESIDENT, "u1-m9", outsider,
                        r -> r.swap("u1", TOMORROW, "u1-m7", "u1-m9")),
                violation("swap on an override day", Rule.SWAP_NOT_ON_OVERRIDE, "2024-08-01",
                        r -> r.putOverride("u1", TOMORROW.plusDays(1), DayPlan.of("u1-m1", List.of("u1-m2", "u1-m3"))),
                        r -> r.swap("u1", TOMORROW.plusDays(1), "u1-m1", "u1-m4")),
                violation("the fifth-last resident leaves", Rule.MIN_RESIDENT_MEMBERS, "unit u1",
                        r -> {
                            r.changeMember("u1", "u1-m1", null, false);
                            r.changeMember("u1", "u1-m2", null, false);
                        }, r -> r.changeMember("u1", "u1-m3", null, false)),
                violation("a member on duty today leaves", Rule.ON_DUTY_RESIDENT, "2024-07-30", NOTHING,
                        r -> r.changeMember("u1", "u1-m7", null, false)),
                violation("a member in the pattern leaves", Rule.ON_DUTY_RESIDENT, "on monday",
                        r -> r.replacePattern("u1", week()), r -> r.changeMember("u1", "u1-m2", null, false)),
                violation("a member id taken", Rule.UNIQUE_ID, "u1-m3", NOTHING,
                        r -> r.addMember("u1", new Member("u1-m3", "重名", "民兵", true, null, null))),
                violation("a member id that is no topic level", Rule.VALID_ID, "u1/x", NOTHING,
                        r -> r.addMember("u1", new Member("u1/x", "某人", "民兵", true, null, null))),
                violation("a member without role", Rule.REQUIRED_FIELD, "role", NOTHING,
                        r -> r.addMember("u1", new Member("u1-x", "某人", " ", true, null, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void a_change_that_breaks_a_rule_is_refused_naming_it_and_nothing_is_written(String name, Rule rule,
            String named, Consumer<DutyRosterService> setup, Consumer<DutyRosterService> change) {
        setup.accept(roster);
        String before = snapshot();
        int toldBefore = told.size();

        assertThatThrownBy(() -> change.accept(roster))
                .isInstanceOfSatisfying(RegistryRuleException.class, e -> assertThat(e.rule()).isEqualTo(rule))
                .hasMessageContaining(named).hasMessageContaining(rule.text());

        assertThat(snapshot()).as("nothing written").isEqualTo(before);
        assertThat(told).as("no listener told").hasSize(toldBefore);
    }

    /** Everything a roster change can write, as text. */
    private String snapshot() {
        StringBuilder out = new StringBuilder();
        for (String sql : List.of("SELECT weekday, member_id, is_leader FROM duty_pattern ORDER BY 1, 2",
                "SELECT duty_day, member_id, is_leader FROM duty_override ORDER BY 1, 2",
                "SELECT duty_day, seq, from_member, to_member FROM duty_swap ORDER BY 1, 2",
                "SELECT duty_day, member_id, is_leader FROM duty ORDER BY 1, 2",
                "SELECT id, role, resident FROM member ORDER BY 1")) {
            out.append(db.jdbc.sql(sql).query().listOfRows()).append('\n');
        }
        return out.toString();
    }

    private static Arguments violation(String name, Rule rule, String named, Consumer<DutyRosterService> setup,
            Consumer<DutyRosterService> change) {
        return Arguments.of(name, rule, named, setup, change);
    }

    private static Map<DayOfWeek, DayPlan> with(Map<DayOfWeek, DayPlan> week, DayOfWeek day, DayPlan plan) {
        week.put(day, plan);
        return week;
    }
}
