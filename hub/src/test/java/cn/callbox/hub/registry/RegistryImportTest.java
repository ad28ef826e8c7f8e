package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.registry.RegistryImport.Counts;
import cn.callbox.hub.registry.RegistryImport.ImportError;
import cn.callbox.hub.registry.RegistryImport.ImportRejectedException;
import cn.callbox.hub.registry.RegistryImport.MemberIn;
import cn.callbox.hub.registry.RegistryImport.PatternIn;
import cn.callbox.hub.registry.RegistryImport.PointIn;
import cn.callbox.hub.registry.RegistryImport.Registry;
import cn.callbox.hub.registry.RegistryImport.UnitIn;
import cn.callbox.hub.registry.RegistryImport.VillageIn;

/** The registry import, all or nothing, on H2; {@link PostgresRegistryImportTest} runs it on PostgreSQL. */
class RegistryImportTest {

    private final TestDatabase db = database();
    private final DutyRosterService roster = new DutyRosterService(db.jdbc, db.transactions, List::of, db.clock);
    private final RegistryImport registryImport = new RegistryImport(db.jdbc, db.transactions, roster, "houshan");
    private final TownshipDirectory directory = db.directory();

    TestDatabase database() {
        return new TestDatabase();
    }

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    /** Village hs-v9 with unit hs-u9 (6 resident members), its home point and a market point, and a full week. */
    static Registry township() {
        List<MemberIn> members = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            members.add(new MemberIn("hs-u9-m" + i, "hs-u9", "队员" + i, "民兵", true, i == 1 ? "13800000000" : null));
        }
        List<PatternIn> patterns = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            boolean odd = day.getValue() % 2 == 1;
            patterns.add(odd ? new PatternIn("hs-u9", day.name(), "hs-u9-m1", List.of("hs-u9-m2", "hs-u9-m3"))
                    : new PatternIn("hs-u9", day.name(), "hs-u9-m4", List.of("hs-u9-m4", "hs-u9-m5", "hs-u9-m6")));
        }
        return new Registry(List.of(new VillageIn("hs-v9", "九村")),
                List.of(new PointIn("hs-v9-grid", "hs-v9", "九村网格", "grid", 30.80, 108.40, "hs-u9"),
                        new PointIn("hs-v9-market", "hs-v9", "九村集市", "market", 30.81, 108.41, "hs-u9")),
                List.of(new UnitIn("hs-u9", "九村单元", "hs-v9", "hs-v9-grid", null, null)), members, patterns);
    }

    @Test
    void a_valid_registry_is_written_whole_and_counted() {
        Counts counts = registryImport.importRegistry(township());

        assertThat(counts).isEqualTo(new Counts(1, 2, 1, 6, 7));
        assertThat(directory.unit("hs-u9")).hasValueSatisfying(u -> {
            assertThat(u.villageName()).isEqualTo("九村");
            assertThat(u.lat()).as("from the home point").isEqualTo(30.80);
        });
        assertThat(directory.members("hs-u9")).hasSize(6);
        LocalDate tuesday = LocalDate.of(2024, 7, 30);
        assertThat(directory.duty("hs-u9", tuesday).leaderId()).isEqualTo("hs-u9-m4");
        assertThat(directory.duty("hs-u9", tuesday.plusDays(1)).onDuty())
                .containsExactly("hs-u9-m1", "hs-u9-m2", "hs-u9-m3");
        assertThat(db.jdbc.sql("SELECT home_point_id FROM unit WHERE id = 'hs-u9'").query(String.class).single())
                .isEqualTo("hs-v9-grid");
        assertThat(db.count("township")).as("created for the registry").isEqualTo(1);
    }

    @Test
    void a_registry_with_errors_names_each_by_path_and_rule_and_writes_nothing() {
        Registry good = township();
        List<MemberIn> members = new ArrayList<>(good.members());
        members.set(3, new MemberIn("hs-u9-m4", "hs-u8", "队员4", "民兵", true, null));
        List<PointIn> points = new ArrayList<>(good.points());
        points.set(1, new PointIn("hs-v9-market", "hs-v9", "九村集市", "fair", 48.0, 2.0, "hs-u9"));
        List<PatternIn> patterns = new ArrayList<>(good.dutyPatterns());
        patterns.remove(6);
        List<VillageIn> villages = List.of(good.villages().get(0), new VillageIn("hs-v9", "又九村"));
        Registry bad = new Registry(villages, points, good.units(), members, patterns);

        assertThatThrownBy(() -> registryImport.importRegistry(bad)).isInstanceOfSatisfying(
                ImportRejectedException.class, e -> assertThat(e.errors()).extracting(ImportError::path, ImportError::rule)
                        .contains(
                                org.assertj.core.groups.Tuple.tuple("villages[1].id", "unique-id"),
                                org.assertj.core.groups.Tuple.tuple("points[1].kind", "valid-value"),
                                org.assertj.core.groups.Tuple.tuple("points[1]", "china-coordinates"),
                                org.assertj.core.groups.Tuple.tuple("members[3].unit", "known-reference"),
                                org.assertj.core.groups.Tuple.tuple("dutyPatterns", "week-complete")));
        assertThat(db.count("village")).isZero();
        assertThat(db.count("unit")).isZero();
        assertThat(db.count("point")).isZero();
        assertThat(db.count("member")).isZero();
        assertThat(db.count("duty_pattern")).isZero();
    }

    @Test
    void duty_rules_and_ids_taken_in_the_database_are_refused() {
        registryImport.importRegistry(township());
        List<PatternIn> patterns = new ArrayList<>(township().dutyPatterns());
        patterns.set(0, new PatternIn("hs-u9", "MONDAY", "hs-u9-m1", List.of("hs-u9-m2")));
        patterns.set(1, new PatternIn("hs-u9", "TUESDAY", null, List.of("hs-u9-m1", "hs-u9-m2", "hs-u9-m3")));
        patterns.set(2, new PatternIn("hs-u9", "someday", "hs-u9-m1", List.of("hs-u9-m2", "hs-u9-m3")));
        Registry again = new Registry(List.of(new VillageIn("hs-v9", "九村")), List.of(), List.of(),
                List.of(new MemberIn("hs-u9-m7", "hs-u9", "队员7", "民兵", null, null)), patterns);

        assertThatThrownBy(() -> registryImport.importRegistry(again)).isInstanceOfSatisfying(
                ImportRejectedException.class, e -> assertThat(e.errors()).extracting(ImportError::path, ImportError::rule)
                        .contains(
                                org.assertj.core.groups.Tuple.tuple("villages[0].id", "unique-id"),
                                org.assertj.core.groups.Tuple.tuple("members[0].resident", "required-field"),
                                org.assertj.core.groups.Tuple.tuple("dutyPatterns[0]", "min-on-duty"),
                                org.assertj.core.groups.Tuple.tuple("dutyPatterns[1]", "one-duty-leader"),
                                org.assertj.core.groups.Tuple.tuple("dutyPatterns[2].day", "valid-value")));
        assertThat(db.count("member")).isEqualTo(6);
    }
}
