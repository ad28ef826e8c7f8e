package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.firmware.FirmwareProperties;
import cn.callbox.hub.mqtt.MqttPrincipal;
import cn.callbox.hub.registry.TownshipDirectory.CallBoxInfo;
import cn.callbox.hub.registry.TownshipDirectory.DutyDay;
import cn.callbox.hub.registry.TownshipDirectory.MemberInfo;
import cn.callbox.hub.registry.TownshipDirectory.UnitInfo;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.protocol.config.DeviceConfigKeys;
import cn.callbox.protocol.firmware.FirmwareKeys;
import cn.callbox.protocol.mqtt.Topics;

class DemoTownshipTest {

    @TempDir
    Path dataDir;

    private final TestDatabase db = new TestDatabase();
    private final PasswordEncoder encoder = new BCryptPasswordEncoder(4);
    private final JdbcTownshipDirectory directory = db.directory();
    private final JdbcCallBoxKeys keys = db.keys();
    private final LocalDate today = LocalDate.now(db.clock);

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    @Test
    void seeds_once_with_units_that_keep_the_rules_and_a_weekly_pattern_for_today_and_the_next_days() {
        DemoTownship demo = demo(db.clock);

        assertThat(demo.seedIfAbsent()).isTrue();
        assertThat(demo.givePatterns()).isEqualTo(DemoTownshipPlan.unitIds().size());
        assertThat(demo.seedIfAbsent()).isFalse();
        assertThat(demo.givePatterns()).isZero();

        assertThat(directory.callBoxes()).hasSize(5);
        assertThat(directory.units()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(directory.callBoxes()).anySatisfy(b -> assertThat(b.place()).isEqualTo("后山场镇集市"));
        assertThat(directory.callBoxes().stream().map(CallBoxInfo::villageId).distinct().count())
                .isGreaterThanOrEqualTo(3);
        for (CallBoxInfo box : directory.callBoxes()) {
            assertThat(Topics.isValidLevel(box.endpoint())).isTrue();
            assertThat(box.lat()).isBetween(30.70, 30.80);
            assertThat(box.lon()).isBetween(108.35, 108.45);
        }
        for (UnitInfo unit : directory.units()) {
            List<MemberInfo> members = directory.members(unit.id());
            assertThat(members).as(unit.id()).hasSizeGreaterThanOrEqualTo(6).allMatch(MemberInfo::resident);
            assertThat(members).allSatisfy(m -> assertThat(m.name()).matches("\\p{IsHan}{2,4}"));
            Set<String> ids = new HashSet<>(members.stream().map(MemberInfo::id).toList());
            for (int d = 0; d <= 400; d += d < 14 ? 1 : 29) {
                DutyDay duty = directory.duty(unit.id(), today.plusDays(d));
                assertThat(duty.leaderId()).as(unit.id() + " leader on day " + d).isNotNull();
                assertThat(duty.onDuty()).as(unit.id() + " on duty on day " + d).hasSizeGreaterThanOrEqualTo(3)
                        .contains(duty.leaderId());
                assertThat(ids).containsAll(duty.onDuty());
            }
        }
    }

    @Test
    void members_mqtt_passwords_are_written_once_readable_by_the_owner_only_and_let_them_in() throws Exception {
        demo(db.clock).seedIfAbsent();

        Path file = dataDir.resolve(DemoTownship.CREDENTIALS_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Properties credentials = load(file);
        RegistryMqttAccounts accounts = new RegistryMqttAccounts(db.jdbc, encoder);
        for (UnitInfo unit : directory.units()) {
            for (MemberInfo member : directory.members(unit.id())) {
                String password = credentials.getProperty(member.id());
                assertThat(password).as(member.id()).isNotBlank();
                assertThat(accounts.authenticate(member.id(), password.getBytes(StandardCharsets.UTF_8)))
                        .contains(new MqttPrincipal(member.id(), MqttPrincipal.Role.MEMBER, unit.id()));
            }
        }
        String before = Files.readString(file);
        demo(db.clock).seedIfAbsent();
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void box_configs_carry_the_hub_port_of_this_start_and_the_registered_keys() throws Exception {
        demo(db.clock).seedIfAbsent();

        assertThat(demo(db.clock).writeBoxConfigs(URI.create("coaps://0.0.0.0:15684"))).isEqualTo(5);
        assertThat(demo(db.clock).writeBoxConfigs(URI.create("coaps://127.0.0.1:25684"))).isEqualTo(5);

        for (CallBoxInfo box : directory.callBoxes()) {
            Path file = dataDir.resolve("demo").resolve(box.endpoint() + ".properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Properties config = load(file);
            CallBoxKey key = keys.byEndpoint(box.endpoint()).orElseThrow();
            assertThat(config.getProperty(DeviceConfigKeys.ENDPOINT)).isEqualTo(box.endpoint());
            assertThat(config.getProperty(DeviceConfigKeys.HUB_URI)).isEqualTo("coaps://127.0.0.1:25684");
            assertThat(config.getProperty(DeviceConfigKeys.PSK_IDENTITY)).isEqualTo(box.endpoint());
            assertThat(HexFormat.of().parseHex(config.getProperty(DeviceConfigKeys.PSK_KEY))).isEqualTo(key.pskKey())
                    .hasSize(16);
            assertThat(Double.parseDouble(config.getProperty(DeviceConfigKeys.LATITUDE))).isEqualTo(box.lat());
            assertThat(Double.parseDouble(config.getProperty(DeviceConfigKeys.LONGITUDE))).isEqualTo(box.lon());
            assertThat(config.getProperty(DeviceConfigKeys.PLACE)).isEqualTo(box.place());
            Path outbox = Path.of(config.getProperty(DeviceConfigKeys.OUTBOX_DIR));
            assertThat(outbox).isAbsolute().isEqualTo(dataDir.toAbsolutePath().resolve("demo/outbox/" + box.endpoint()));
            assertThat(config.getProperty(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS)).as("no firmware key is trusted")
                    .isNull();
        }
        Set<String> keysSeen = new HashSet<>();
        directory.callBoxes().forEach(b -> keysSeen.add(HexFormat.of().formatHex(keys.byEndpoint(b.endpoint())
                .orElseThrow().pskKey())));
        assertThat(keysSeen).as("a key per box").hasSize(5);
    }

    @Test
    void box_configs_trust_the_firmware_keys_the_hub_trusts() throws Exception {
        String first = FirmwareKeys.toBase64(FirmwareKeys.generate().getPublic());
        String second = FirmwareKeys.toBase64(FirmwareKeys.generate().getPublic());
        FirmwareProperties firmware = new FirmwareProperties(List.of(first, second), null, Duration.ofSeconds(5),
                Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(10));
        demo(db.clock, firmware).seedIfAbsent();

        assertThat(demo(db.clock, firmware).writeBoxConfigs(URI.create("coaps://127.0.0.1:25684"))).isEqualTo(5);

        for (CallBoxInfo box : directory.callBoxes()) {
            Properties config = load(dataDir.resolve("demo").resolve(box.endpoint() + ".properties"));
            String trusted = config.getProperty(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS);
            assertThat(trusted).isEqualTo(first + "," + second);
            assertThat(FirmwareKeys.publicKeys(trusted)).extracting(FirmwareKeys::toBase64).containsExactly(first,
                    second);
        }
    }

    @Test
    void every_unit_has_two_others_within_5_km_and_the_first_box_alerts_at_least_two_boxes() {
        demo(db.clock).seedIfAbsent();
        List<UnitInfo> units = directory.units();

        for (UnitInfo unit : units) {
            long near = units.stream().filter(o -> !o.id().equals(unit.id()))
                    .filter(o -> km(unit.lat(), unit.lon(), o.lat(), o.lon()) <= 5.0).count();
            assertThat(near).as(unit.id() + " has units within 5 km").isGreaterThanOrEqualTo(2);
        }

        CallBoxInfo first = directory.callBoxes().get(0);
        assertThat(first.endpoint()).isEqualTo(DemoTownshipPlan.FIRST_BOX);
        UnitInfo primary = directory.unit(first.unitId()).orElseThrow();
        assertThat(primary.callBoxes()).as("the first box's unit has another box").hasSizeGreaterThanOrEqualTo(2);
        List<UnitInfo> support = units.stream().filter(u -> !u.id().equals(primary.id()))
                .filter(u -> km(first.lat(), first.lon(), u.lat(), u.lon()) <= 5.0)
                .sorted(Comparator.comparingDouble(u -> km(first.lat(), first.lon(), u.lat(), u.lon()))).limit(2)
                .toList();
        assertThat(support).hasSize(2);
        Set<String> sounding = new HashSet<>(primary.callBoxes());
        support.forEach(u -> sounding.addAll(u.callBoxes()));
        assertThat(sounding).hasSizeGreaterThanOrEqualTo(2).contains(first.endpoint());
        assertThat(sounding).as("some box stays silent").hasSizeLessThan(5);
    }

    @Test
    void a_demo_database_with_per_day_duty_only_gets_the_weekly_pattern_which_then_rules() {
        demo(db.clock).seedIfAbsent();
        LocalDate today = LocalDate.now(db.clock);
        // a demo database from before rosters: per-day rows for a few days, no pattern
        RegistryService registry = db.registry();
        registry.planDuty(RegistryServiceTest.duty("hs-market", today, "hs-market-m6", "hs-market-m5",
                "hs-market-m4"));
        assertThat(directory.duty("hs-market", today).leaderId()).isEqualTo("hs-market-m6");
        assertThat(directory.duty("hs-market", today.plusDays(40)).onDuty()).isEmpty();

        assertThat(demo(db.clock).givePatterns()).isEqualTo(DemoTownshipPlan.unitIds().size());

        for (UnitInfo unit : directory.units()) {
            assertThat(directory.duty(unit.id(), today.plusDays(40)).onDuty()).hasSize(3);
        }
        assertThat(directory.duty("hs-market", today).leaderId()).as("the pattern wins over per-day rows")
                .isEqualTo(DemoTownshipPlan.weeklyPattern("hs-market").get(today.getDayOfWeek()).leaderId());
        assertThat(demo(db.clock).givePatterns()).isZero();
    }

    @Test
    void a_wildcard_hub_address_becomes_loopback_for_local_boxes() {
        assertThat(DemoTownship.reachable(URI.create("coaps://0.0.0.0:5684"))).hasToString("coaps://127.0.0.1:5684");
        assertThat(DemoTownship.reachable(URI.create("coaps://192.168.1.10:5684")))
                .hasToString("coaps://192.168.1.10:5684");
    }

    private DemoTownship demo(Clock clock) {
        return demo(clock, FirmwareProperties.defaults());
    }

    private DemoTownship demo(Clock clock, FirmwareProperties firmware) {
        HubProperties properties = new HubProperties(dataDir, "houshan",
                new HubProperties.Lwm2m(0, null, "127.0.0.1", null),
                new HubProperties.Mqtt(null, 0, "127.0.0.1", null, null, Duration.ofMinutes(15)),
                new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180)),
                new HubProperties.Influx(null, "callbox"));
        DeviceEndpoint endpoint = new DeviceEndpoint() {
            @Override
            public URI secureUri() {
                return URI.create("coaps://127.0.0.1:5684");
            }

            @Override
            public Optional<URI> plainUri() {
                return Optional.empty();
            }
        };
        DutyRosterService roster = new DutyRosterService(db.jdbc, db.transactions, List::of, clock);
        return new DemoTownship(new RegistryService(db.jdbc, db.transactions, clock, db.encryption), roster, directory, keys,
                endpoint, encoder, db.transactions, properties, firmware);
    }

    private static Properties load(Path file) throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Great-circle distance (haversine), km. */
    static double km(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 6371.0 * 2 * Math.asin(Math.sqrt(a));
    }
}
