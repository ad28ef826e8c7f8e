package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.callbox.hub.registry.CallBoxEnrolment.CallBoxTakenException;
import cn.callbox.hub.registry.CallBoxEnrolment.Enrolled;
import cn.callbox.hub.registry.CallBoxEnrolment.Enrolment;
import cn.callbox.hub.registry.CallBoxEnrolment.NoSuchCallBoxException;
import cn.callbox.hub.registry.RegistryRuleException.Rule;

/**
 * Enrolment, key rotation and retirement on H2; {@link PostgresCallBoxEnrolmentTest} runs them on PostgreSQL. The
 * township t1 of {@link RegistryServiceTest#township}: village v1 (一村) with unit u1 (home 30.76, 108.41), points
 * market and grid1, boxes box-a and box-b; plus village v2 (二村) with units u2a (30.70, 108.30) and u2b (30.90,
 * 108.50) and no points.
 */
class CallBoxEnrolmentTest {

    static final String KEY_HEX = "00112233445566778899aabbccddeeff";
    static final String KEY2_HEX = "ffeeddccbbaa99887766554433221100ffeeddcc";

    private final TestDatabase db = database();
    private final RegistryService registry = db.registry();
    private final TownshipDirectory directory = db.directory();
    private final JdbcCallBoxKeys keys = db.keys();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final List<String> retired = new CopyOnWriteArrayList<>();
    private final CallBoxEnrolment enrolment = new CallBoxEnrolment(db.jdbc, db.transactions, db.clock, db.encryption,
            "houshan", (endpoint, identity) -> dropped.add(endpoint + "/" + identity), retired::add);

    TestDatabase database() {
        return new TestDatabase();
    }

    @BeforeEach
    void seed() {
        registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true), List.of()));
        db.jdbc.sql("INSERT INTO village (id, township_id, name) VALUES ('v2', 't1', '二村')").update();
        registry.createUnit("u2a", "二村南单元", "v2", 30.70, 108.30);
        registry.createUnit("u2b", "二村北单元", "v2", 30.90, 108.50);
    }

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    static Enrolment enrolment(String endpoint, String village, String point, double lat, double lon, String unit) {
        return new Enrolment(endpoint, village, point, lat, lon, unit, endpoint, KEY_HEX);
    }

    @Test
    void a_box_at_a_new_village_and_point_creates_both_and_goes_to_the_nearest_unit() {
        Enrolled box = enrolment.enrol(enrolment("cb-new1", "后山村", "集市", 30.89, 108.49, null));

        assertThat(box.village()).isEqualTo("后山村");
        assertThat(box.villageId()).matches("v-[a-z2-7]{8}");
        assertThat(box.point()).isEqualTo("集市");
        assertThat(box.pointId()).matches("p-[a-z2-7]{8}");
        assertThat(box.unit()).isEqualTo("u2b");
        assertThat(box.villageCreated()).isTrue();
        assertThat(box.pointCreated()).isTrue();
        assertThat(db.jdbc.sql("SELECT kind FROM point WHERE id = ?").param(box.pointId()).query(String.class).single())
                .isEqualTo("market");
        assertThat(directory.callBox("cb-new1")).hasValueSatisfying(info -> {
            assertThat(info.villageName()).isEqualTo("后山村");
            assertThat(info.place()).isEqualTo("集市");
            assertThat(info.unitId()).isEqualTo("u2b");
            assertThat(info.lat()).isEqualTo(30.89);
        });
        assertThat(keys.byPskIdentity("cb-new1")).hasValueSatisfying(k -> {
            assertThat(k.endpoint()).isEqualTo("cb-new1");
            assertThat(k.pskKey()).isEqualTo(HexFormat.of().parseHex(KEY_HEX));
        });
        String stored = db.jdbc.sql("SELECT psk_key FROM callbox WHERE endpoint = 'cb-new1'").query(String.class)
                .single();
        assertThat(stored).startsWith("v1:").doesNotContainIgnoringCase(KEY_HEX);
    }

    @Test
    void an_existing_point_by_name_gives_its_unit_and_nothing_new_is_made() {
        long villages = db.count("village");
        long points = db.count("point");

        Enrolled box = enrolment.enrol(enrolment("cb-g1", "一村", "一村网格", 30.761, 108.411, null));

        assertThat(box.villageId()).isEqualTo("v1");
        assertThat(box.pointId()).isEqualTo("grid1");
        assertThat(box.unit()).isEqualTo("u1");
        assertThat(box.villageCreated() || box.pointCreated()).isFalse();
        assertThat(db.count("village")).isEqualTo(villages);
        assertThat(db.count("point")).isEqualTo(points);
        assertThat(directory.unit("u1").orElseThrow().callBoxes()).contains("cb-g1");
    }

    @Test
    void a_new_point_in_a_village_with_one_unit_goes_to_that_unit_even_when_another_is_nearer() {
        Enrolled box = enrolment.enrol(enrolment("cb-v1", "v1", "三组晒坝", 30.89, 108.49, null));

        assertThat(box.unit()).isEqualTo("u1");
        assertThat(box.villageCreated()).isFalse();
        assertThat(db.jdbc.sql("SELECT kind FROM point WHERE id = ?").param(box.pointId()).query(String.class).single())
                .isEqualTo("other");
    }

    @Test
    void a_new_point_in_a_village_with_two_units_goes_to_the_nearer() {
        assertThat(enrolment.enrol(enrolment("cb-v2", "二村", "晒坝", 30.71, 108.31, null)).unit()).isEqualTo("u2a");
    }

    @Test
    void a_given_unit_wins_for_a_new_point_but_must_exist_and_be_the_points_own() {
        assertThat(enrolment.enrol(enrolment("cb-u1", "二村", "桥头", 30.71, 108.31, "u2b")).unit()).isEqualTo("u2b");
        assertRule(() -> enrolment.enrol(enrolment("cb-u2", "v1", "grid1", 30.76, 108.41, "u2a")), Rule.POINT_UNIT);
        assertRule(() -> enrolment.enrol(enrolment("cb-u3", "二村", "桥尾", 30.71, 108.31, "nope")),
                Rule.KNOWN_REFERENCE);
        assertThat(directory.callBox("cb-u2")).isEmpty();
        assertThat(directory.callBox("cb-u3")).isEmpty();
    }

    @Test
    void a_township_without_units_refuses_and_creates_no_village() {
        TestDatabase empty = database();
        try {
            empty.jdbc.sql("INSERT INTO township (id, name, district) VALUES ('houshan', '后山镇', '万州区')").update();
            CallBoxEnrolment lonely = new CallBoxEnrolment(empty.jdbc, empty.transactions, empty.clock,
                    empty.encryption, "houshan", CallBoxSessions.NONE, e -> {
                    });
            assertRule(() -> lonely.enrol(enrolment("cb-x", "后山村", "集市", 30.8, 108.4, null)), Rule.NO_UNIT);
            assertThat(empty.count("village")).isZero();
            assertThat(empty.count("callbox")).isZero();
        } finally {
            empty.shutdown();
        }
    }

    @Test
    void invalid_fields_are_refused_naming_the_rule_and_nothing_is_written() {
        long boxes = db.count("callbox");
        assertRule(() -> enrolment.enrol(enrolment("CB-Upper", "一村", "集市", 30.8, 108.4, null)), Rule.DEVICE_ID);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "bad id", KEY_HEX)),
                Rule.DEVICE_ID);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "cb-1", "0011")),
                Rule.PSK_KEY_HEX);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "cb-1",
                "zz112233445566778899aabbccddeeff")), Rule.PSK_KEY_HEX);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "cb-1",
                "00".repeat(65))), Rule.PSK_KEY_HEX);
        assertRule(() -> enrolment.enrol(enrolment("cb-1", "一村", "集市", 60.0, 108.4, null)), Rule.CHINA_COORDINATES);
        assertRule(() -> enrolment.enrol(enrolment("cb-1", "一村", "集市", 30.8, 2.35, null)), Rule.CHINA_COORDINATES);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", null, "集市", 30.8, 108.4, null, "cb-1", KEY_HEX)),
                Rule.REQUIRED_FIELD);
        assertRule(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", null, 108.4, null, "cb-1", KEY_HEX)),
                Rule.REQUIRED_FIELD);
        assertThat(db.count("callbox")).isEqualTo(boxes);
    }

    @Test
    void a_refused_key_never_shows_in_the_message() {
        String secret = "ab".repeat(15) + "zz";
        assertThatThrownBy(() -> enrolment.enrol(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "cb-1",
                secret))).isInstanceOf(RegistryRuleException.class).message().doesNotContain(secret);
        assertThat(new Enrolment("cb-1", "一村", "集市", 30.8, 108.4, null, "cb-1", KEY_HEX).toString())
                .doesNotContain(KEY_HEX);
    }

    @Test
    void endpoints_and_identities_are_never_reused_not_even_after_retirement_or_rotation() {
        assertThatThrownBy(() -> enrolment.enrol(enrolment("box-a", "一村", "集市", 30.8, 108.4, null)))
                .isInstanceOf(CallBoxTakenException.class);
        assertThatThrownBy(() -> enrolment.enrol(new Enrolment("cb-9", "一村", "集市", 30.8, 108.4, null, "id-box-a",
                KEY_HEX))).isInstanceOf(CallBoxTakenException.class);

        enrolment.enrol(enrolment("cb-old", "一村", "集市", 30.8, 108.4, null));
        enrolment.retire("cb-old");
        assertThatThrownBy(() -> enrolment.enrol(enrolment("cb-old", "一村", "集市", 30.8, 108.4, null)))
                .isInstanceOf(CallBoxTakenException.class);

        enrolment.rotateKey("box-b", "id-box-b-2", KEY2_HEX);
        assertThatThrownBy(() -> enrolment.enrol(new Enrolment("cb-10", "一村", "集市", 30.8, 108.4, null, "id-box-b",
                KEY_HEX))).isInstanceOf(CallBoxTakenException.class);
        assertThatThrownBy(() -> enrolment.rotateKey("box-a", "id-box-b", KEY_HEX))
                .isInstanceOf(CallBoxTakenException.class);
        assertThatThrownBy(() -> enrolment.rotateKey("box-a", "cb-old", KEY_HEX))
                .isInstanceOf(CallBoxTakenException.class);
    }

    @Test
    void a_rotated_key_replaces_the_old_one_and_the_old_sessions_are_dropped() {
        enrolment.rotateKey("box-a", "id-box-a", KEY2_HEX);

        assertThat(keys.byEndpoint("box-a").orElseThrow().pskKey()).isEqualTo(HexFormat.of().parseHex(KEY2_HEX));
        assertThat(dropped).containsExactly("box-a/id-box-a");

        enrolment.rotateKey("box-a", "id-box-a-2", KEY_HEX);
        assertThat(keys.byPskIdentity("id-box-a")).isEmpty();
        assertThat(keys.byPskIdentity("id-box-a-2")).hasValueSatisfying(k -> assertThat(k.pskKey())
                .isEqualTo(HexFormat.of().parseHex(KEY_HEX)));
        assertThat(dropped).containsExactly("box-a/id-box-a", "box-a/id-box-a");

        assertThatThrownBy(() -> enrolment.rotateKey("nope", "id-nope", KEY_HEX))
                .isInstanceOf(NoSuchCallBoxException.class);
        assertRule(() -> enrolment.rotateKey("box-a", "id-box-a-3", "0011"), Rule.PSK_KEY_HEX);
        assertThat(keys.byPskIdentity("id-box-a-2")).isPresent();
    }

    @Test
    void a_retired_box_is_kept_but_gone_from_the_directory_and_the_keys() {
        enrolment.retire("box-a");

        assertThat(directory.callBox("box-a")).isEmpty();
        assertThat(directory.callBoxes()).extracting(TownshipDirectory.CallBoxInfo::endpoint).containsExactly("box-b");
        assertThat(directory.unit("u1").orElseThrow().callBoxes()).containsExactly("box-b");
        assertThat(directory.units().stream().filter(u -> u.id().equals("u1")).findFirst().orElseThrow().callBoxes())
                .containsExactly("box-b");
        assertThat(keys.byEndpoint("box-a")).isEmpty();
        assertThat(keys.byPskIdentity("id-box-a")).isEmpty();
        assertThat(dropped).containsExactly("box-a/id-box-a");
        assertThat(retired).containsExactly("box-a");
        assertThat(db.jdbc.sql("SELECT COUNT(*) FROM callbox WHERE endpoint = 'box-a' AND retired_at IS NOT NULL")
                .query(Long.class).single()).isEqualTo(1);

        assertThatThrownBy(() -> enrolment.retire("box-a")).isInstanceOf(NoSuchCallBoxException.class);
        assertThatThrownBy(() -> enrolment.retire("nope")).isInstanceOf(NoSuchCallBoxException.class);
        assertThatThrownBy(() -> enrolment.rotateKey("box-a", "id-box-a", KEY_HEX))
                .isInstanceOf(NoSuchCallBoxException.class);
        assertThat(dropped).hasSize(1);
    }

    private static void assertRule(Runnable call, Rule rule) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RegistryRuleException.class,
                e -> assertThat(e.rule()).isEqualTo(rule));
    }
}
