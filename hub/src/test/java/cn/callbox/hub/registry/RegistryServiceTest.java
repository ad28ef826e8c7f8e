package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.registry.RegistryRuleException.Rule;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.registry.TownshipSeed.CallBox;
import cn.callbox.hub.registry.TownshipSeed.Duty;
import cn.callbox.hub.registry.TownshipSeed.DutyMember;
import cn.callbox.hub.registry.TownshipSeed.Member;
import cn.callbox.hub.registry.TownshipSeed.Point;
import cn.callbox.hub.registry.TownshipSeed.PointKind;
import cn.callbox.hub.registry.TownshipSeed.Unit;
import cn.callbox.hub.registry.TownshipSeed.Village;

/** The registry on H2; {@link PostgresRegistryServiceTest} runs the same tests on PostgreSQL. */
class RegistryServiceTest {

    private static final LocalDate DAY = LocalDate.of(2024, 7, 30);
    private static final byte[] KEY = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    private final TestDatabase db = database();
    private final RegistryService registry = db.registry();
    private final TownshipDirectory directory = db.directory();

    /** The one thing the database variants change. Called while constructing the test: use no instance state. */
    TestDatabase database() {
        return new TestDatabase();
    }

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    @Test
    void a_valid_township_round_trips_through_the_directory_and_the_keys() {
        registry.importTownship(township(members("u1", 5, true), List.of(duty("u1", DAY, "u1-m1", "u1-m2", "u1-m3"))));

        assertThat(registry.townshipExists("t1")).isTrue();
        assertThat(directory.callBoxes()).containsExactly(
                new CallBoxInfo("box-a", "集市", "market", "v1", "一村", 30.75, 108.40, "u1"),
                new CallBoxInfo("box-b", "一村网格", "grid1", "v1", "一村", 30.76, 108.41, "u1"));
        assertThat(directory.callBox("box-b")).contains(directory.callBoxes().get(1));
        assertThat(directory.callBox("nope")).isEmpty();
        assertThat(directory.units()).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo("u1");
            assertThat(u.name()).isEqualTo("一村单元");
            assertThat(u.villageName()).isEqualTo("一村");
            assertThat(u.lat()).isEqualTo(30.76);
            assertThat(u.callBoxes()).containsExactly("box-a", "box-b");
        });
        assertThat(directory.unit("u1")).contains(directory.units().get(0));
        assertThat(directory.unit("nope")).isEmpty();
        assertThat(directory.members("u1")).extracting(TownshipDirectory.MemberInfo::id)
                .containsExactly("u1-m1", "u1-m2", "u1-m3", "u1-m4", "u1-m5");
        assertThat(directory.members("u1").get(0).role()).isEqualTo("综治专干");
        assertThat(directory.members("nope")).isEmpty();
        assertThat(directory.duty("u1", DAY)).isEqualTo(new DutyDay("u1", DAY, "u1-m1", List.of("u1-m1", "u1-m2",
                "u1-m3")));
        assertThat(directory.duty("u1", DAY.plusDays(1))).isEqualTo(new DutyDay("u1", DAY.plusDays(1), null,
                List.of()));

        JdbcCallBoxKeys keys = db.keys();
        assertThat(keys.byEndpoint("box-a")).hasValueSatisfying(k -> {
            assertThat(k.pskIdentity()).isEqualTo("id-box-a");
            assertThat(k.pskKey()).isEqualTo(KEY);
        });
        assertThat(keys.byPskIdentity("id-box-b")).hasValueSatisfying(k -> assertThat(k.endpoint()).isEqualTo("box-b"));
        assertThat(keys.byPskIdentity("box-b")).isEmpty();
        assertThat(keys.byEndpoint("nope")).isEmpty();
    }

    @Test
    void a_unit_of_four_members_is_refused_and_nothing_is_written() {
        assertRefused(township(members("u1", 4, true), List.of()), Rule.MIN_MEMBERS, "unit u1",
                "at least 5 members", "has 4");
    }

    @Test
    void a_member_who_does_not_live_in_the_village_is_refused_and_nothing_is_written() {
        List<Member> members = members("u1", 6, true);
        members.set(3, new Member("u1-m4", "外地人", "民兵", false, null, null));
        assertRefused(township(members, List.of()), Rule.RESIDENT_MEMBERS, "unit u1", "u1-m4", "lives in the village");
    }

    @Test
    void a_duty_day_without_a_leader_is_refused_and_nothing_is_written() {
        Duty noLeader = new Duty("u1", DAY, List.of(new DutyMember("u1-m1", false), new DutyMember("u1-m2", false),
                new DutyMember("u1-m3", false)));
        assertRefused(township(members("u1", 5, true), List.of(noLeader)), Rule.ONE_DUTY_LEADER,
                "duty of unit u1 on 2024-07-30", "exactly one duty leader", "none");
    }

    @Test
    void a_duty_day_with_two_leaders_is_refused_and_nothing_is_written() {
        Duty twoLeaders = new Duty("u1", DAY, List.of(new DutyMember("u1-m1", true), new DutyMember("u1-m2", true),
                new DutyMember("u1-m3", false)));
        assertRefused(township(members("u1", 5, true), List.of(twoLeaders)), Rule.ONE_DUTY_LEADER, "unit u1",
                "exactly one duty leader", "has 2");
    }

    @Test
    void a_duty_day_with_two_on_duty_is_refused_and_nothing_is_written() {
        assertRefused(township(members("u1", 5, true), List.of(duty("u1", DAY, "u1-m1", "u1-m2"))), Rule.MIN_ON_DUTY,
                "unit u1", "at least 3 members on duty", "has 2");
    }

    @Test
    void a_duty_day_with_someone_from_another_unit_is_refused() {
        assertRefused(township(members("u1", 5, true), List.of(duty("u1", DAY, "u1-m1", "u1-m2", "stranger"))),
                Rule.DUTY_OWN_MEMBERS, "unit u1", "stranger");
    }

    @Test
    void ids_that_cannot_be_topic_levels_are_refused() {
        List<Member> members = members("u1", 5, true);
        members.set(0, new Member("u1/m1", "张三", "综治专干", true, null, null));
        assertRefused(township(members, List.of()), Rule.VALID_ID, "u1/m1");
    }

    @Test
    void a_second_import_of_the_same_township_is_refused_and_changes_nothing() {
        registry.importTownship(township(members("u1", 5, true), List.of()));
        long members = db.count("member");

        assertThatThrownBy(() -> registry.importTownship(township(members("u1", 5, true), List.of())))
                .isInstanceOfSatisfying(RegistryRuleException.class, e -> assertThat(e.rule()).isEqualTo(Rule.UNIQUE_ID))
                .hasMessageContaining("township t1");
        assertThat(db.count("member")).isEqualTo(members);
    }

    @Test
    void planning_a_day_replaces_it_and_a_bad_plan_keeps_the_old_one() {
        registry.importTownship(township(members("u1", 6, true), List.of(duty("u1", DAY, "u1-m1", "u1-m2", "u1-m3"))));

        registry.planDuty(duty("u1", DAY, "u1-m4", "u1-m5", "u1-m6", "u1-m1"));
        assertThat(directory.duty("u1", DAY)).isEqualTo(new DutyDay("u1", DAY, "u1-m4",
                List.of("u1-m1", "u1-m4", "u1-m5", "u1-m6")));

        assertThatThrownBy(() -> registry.planDuty(duty("u1", DAY, "u1-m1", "u1-m2")))
                .isInstanceOfSatisfying(RegistryRuleException.class, e -> assertThat(e.rule()).isEqualTo(Rule.MIN_ON_DUTY));
        assertThatThrownBy(() -> registry.planDuty(duty("nope", DAY, "u1-m1", "u1-m2", "u1-m3")))
                .isInstanceOfSatisfying(RegistryRuleException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.KNOWN_REFERENCE));
        assertThat(directory.duty("u1", DAY).leaderId()).isEqualTo("u1-m4");
        assertThat(registry.plannedDays("u1", DAY.minusDays(3), DAY.plusDays(3))).containsExactly(DAY);
    }

    @Test
    void a_call_box_is_registered_at_an_existing_point_with_a_unique_identity_and_a_long_enough_key() {
        registry.importTownship(township(members("u1", 5, true), List.of()));

        registry.registerCallBox(new CallBox("box-c", "grid1", 30.761, 108.411, "id-box-c", KEY));
        assertThat(directory.unit("u1").orElseThrow().callBoxes()).containsExactly("box-a", "box-b", "box-c");

        assertThatThrownBy(() -> registry.registerCallBox(new CallBox("box-d", "grid1", 30.7, 108.4, "id-box-a", KEY)))
                .isInstanceOfSatisfying(RegistryRuleException.class, e -> assertThat(e.rule()).isEqualTo(Rule.UNIQUE_ID));
        assertThatThrownBy(() -> registry.registerCallBox(new CallBox("box-d", "nowhere", 30.7, 108.4, "id-d", KEY)))
                .isInstanceOfSatisfying(RegistryRuleException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.KNOWN_REFERENCE));
        assertThatThrownBy(() -> registry.registerCallBox(new CallBox("box-d", "grid1", 30.7, 108.4, "id-d",
                new byte[8]))).isInstanceOfSatisfying(RegistryRuleException.class,
                        e -> assertThat(e.rule()).isEqualTo(Rule.PSK_KEY));
        assertThat(db.count("callbox")).isEqualTo(3);
    }

    private void assertRefused(TownshipSeed seed, Rule rule, String... messageParts) {
        assertThatThrownBy(() -> registry.importTownship(seed))
                .isInstanceOfSatisfying(RegistryRuleException.class, e -> assertThat(e.rule()).isEqualTo(rule))
                .hasMessageContainingAll(messageParts);
        for (String table : List.of("township", "village", "unit", "point", "member", "callbox", "duty")) {
            assertThat(db.count(table)).as("rows in " + table).isZero();
        }
    }

    static List<Member> members(String unitId, int count, boolean resident) {
        List<String> roles = DemoTownshipPlan.ROLES;
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            members.add(new Member(unitId + "-m" + i, "队员" + i, roles.get((i - 1) % roles.size()), resident, null,
                    null));
        }
        return members;
    }

    static Duty duty(String unitId, LocalDate day, String leader, String... others) {
        return Duty.of(unitId, day, leader, List.of(others));
    }

    static TownshipSeed township(List<Member> members, List<Duty> duties) {
        return new TownshipSeed("t1", "一镇", "某区", List.of(new Village("v1", "一村")),
                List.of(new Unit("u1", "一村单元", "v1", "grid1", members)),
                List.of(new Point("market", "v1", PointKind.MARKET, "集市", 30.75, 108.40, "u1"),
                        new Point("grid1", "v1", PointKind.GRID, "一村网格", 30.76, 108.41, "u1")),
                List.of(new CallBox("box-b", "grid1", 30.76, 108.41, "id-box-b", KEY),
                        new CallBox("box-a", "market", 30.75, 108.40, "id-box-a", KEY)),
                duties);
    }
}
