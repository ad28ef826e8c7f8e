package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

import cn.callbox.hub.system.HubProperties;

/**
 * Call-box keys encrypted at rest, as the hub starts ({@link RegistryConfiguration}'s beans) over H2;
 * {@link PostgresKeysAtRestTest} runs the same on PostgreSQL.
 */
class KeysAtRestTest {

    /** The key of every box of {@link RegistryServiceTest#township}. */
    private static final byte[] KEY = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");

    @TempDir
    Path dataDir;

    private final TestDatabase db = database();
    private final RegistryConfiguration configuration = new RegistryConfiguration();

    TestDatabase database() {
        return new TestDatabase();
    }

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    /** One start of the hub's registry: the key-encryption key, then the keys (which seal plain rows). */
    private JdbcCallBoxKeys start(MockEnvironment environment) {
        KeyEncryption encryption = configuration.keyEncryption(db.jdbc, properties(), environment);
        return configuration.callBoxKeys(db.jdbc, encryption);
    }

    private RegistryService registry(MockEnvironment environment) {
        return configuration.registryService(db.jdbc, db.transactions, db.clock,
                configuration.keyEncryption(db.jdbc, properties(), environment));
    }

    private HubProperties properties() {
        return new HubProperties(dataDir, "houshan", new HubProperties.Lwm2m(0, null, "127.0.0.1", null),
                new HubProperties.Mqtt(null, 0, "127.0.0.1", null, null, Duration.ofMinutes(15)),
                new HubProperties.Dispatch(2, 5, Duration.ofSeconds(60), Duration.ofSeconds(180)),
                new HubProperties.Influx(null, "callbox"));
    }

    private List<String> storedKeys() {
        return db.jdbc.sql("SELECT psk_key FROM callbox ORDER BY endpoint").query(String.class).list();
    }

    @Test
    void the_column_holds_sealed_values_with_a_fresh_iv_each_not_the_hex_key() {
        MockEnvironment environment = new MockEnvironment();
        registry(environment).importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                List.of()));

        List<String> stored = storedKeys();
        assertThat(stored).hasSize(2).allSatisfy(value -> {
            assertThat(value).startsWith("v1:").doesNotContain(HexFormat.of().formatHex(KEY));
            // 12-byte IV, 16 bytes of key, 16-byte tag
            assertThat(Base64.getDecoder().decode(value.substring(3))).hasSize(12 + 16 + 16);
        });
        assertThat(stored.get(0)).as("same key, different IV").isNotEqualTo(stored.get(1));
        assertThat(start(environment).byEndpoint("box-a").orElseThrow().pskKey()).isEqualTo(KEY);
    }

    @Test
    void the_generated_key_file_is_for_the_owner_only_and_a_restart_opens_the_keys_with_it() throws Exception {
        MockEnvironment environment = new MockEnvironment();
        registry(environment).importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                List.of()));

        Path file = dataDir.resolve("secrets/key-encryption.key");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        String before = Files.readString(file);

        JdbcCallBoxKeys restarted = start(new MockEnvironment());

        assertThat(Files.readString(file)).as("not regenerated").isEqualTo(before);
        assertThat(restarted.byPskIdentity("id-box-b").orElseThrow().pskKey()).isEqualTo(KEY);
    }

    @Test
    void plain_keys_from_an_older_database_are_sealed_at_start_once() {
        MockEnvironment environment = new MockEnvironment();
        RegistryService registry = registry(environment);
        registry.importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true), List.of()));
        // as V1 stored them before encryption
        db.jdbc.sql("UPDATE callbox SET psk_key = ?").param(HexFormat.of().formatHex(KEY)).update();

        JdbcCallBoxKeys keys = start(environment);

        assertThat(storedKeys()).allSatisfy(value -> assertThat(value).startsWith("v1:"));
        assertThat(keys.byEndpoint("box-a").orElseThrow().pskKey()).isEqualTo(KEY);
        assertThat(keys.sealPlainKeys()).isZero();
    }

    @Test
    void a_wrong_key_encryption_key_stops_the_start_with_a_clear_message_and_loses_nothing() {
        MockEnvironment environment = new MockEnvironment();
        registry(environment).importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                List.of()));
        List<String> before = storedKeys();
        byte[] other = new byte[32];
        other[0] = 1;

        MockEnvironment wrong = new MockEnvironment().withProperty(KeyEncryption.ENVIRONMENT,
                Base64.getEncoder().encodeToString(other));
        assertThatThrownBy(() -> start(wrong)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not start").hasMessageContaining("cannot be decrypted")
                .hasMessageContaining(KeyEncryption.ENVIRONMENT);
        assertThat(storedKeys()).isEqualTo(before);

        MockEnvironment notBase64 = new MockEnvironment().withProperty(KeyEncryption.ENVIRONMENT, "short");
        assertThatThrownBy(() -> start(notBase64)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void a_lost_key_file_is_not_silently_replaced_while_sealed_keys_exist() throws Exception {
        MockEnvironment environment = new MockEnvironment();
        registry(environment).importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                List.of()));
        Files.delete(dataDir.resolve("secrets/key-encryption.key"));

        assertThatThrownBy(() -> start(new MockEnvironment())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key-encryption.key").hasMessageContaining("does not start");
        assertThat(dataDir.resolve("secrets/key-encryption.key")).doesNotExist();
    }

    @Test
    void the_key_from_the_environment_wins_over_the_file() {
        byte[] kek = new byte[32];
        kek[31] = 9;
        MockEnvironment environment = new MockEnvironment().withProperty(KeyEncryption.ENVIRONMENT,
                Base64.getEncoder().encodeToString(kek));
        registry(environment).importTownship(RegistryServiceTest.township(RegistryServiceTest.members("u1", 5, true),
                List.of()));

        assertThat(dataDir.resolve("secrets/key-encryption.key")).doesNotExist();
        assertThat(KeyEncryption.of(kek).open("box-a", storedKeys().get(0))).isEqualTo(KEY);
        assertThat(start(environment).byEndpoint("box-b").orElseThrow().pskKey()).isEqualTo(KEY);
    }

    @Test
    void a_sealed_key_moved_to_another_box_does_not_open_and_nothing_prints_a_key() {
        KeyEncryption encryption = KeyEncryption.of(TestDatabase.TEST_KEK);
        String sealed = encryption.seal("box-a", KEY);

        assertThat(encryption.open("box-a", sealed)).isEqualTo(KEY);
        assertThatThrownBy(() -> encryption.open("box-b", sealed)).isInstanceOf(KeyEncryption.WrongKeyException.class);
        assertThat(encryption.toString()).doesNotContain(Base64.getEncoder().encodeToString(TestDatabase.TEST_KEK));
        CallBoxKey key = new CallBoxKey("box-a", "id-a", KEY);
        assertThat(key.toString()).doesNotContain(HexFormat.of().formatHex(KEY)).doesNotContain("[B@");
        assertThat(new TownshipSeed.CallBox("box-a", "p", 30, 108, "id-a", KEY).toString()).doesNotContain("[B@");
    }
}
