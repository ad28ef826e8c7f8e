package cn.callbox.hub.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import cn.callbox.protocol.firmware.FirmwareKeys;

/** {@link FirmwareStore} over H2 with every migration and a temporary folder, with a small size limit. */
class FirmwareStoreTest {

    private static final KeyPair TRUSTED = FirmwareKeys.generate();
    private static final Instant NOW = Instant.parse("2026-11-29T02:00:00Z");

    @TempDir
    Path dir;

    private JdbcClient jdbc;
    private FirmwareStore store;

    @BeforeEach
    void store() {
        SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:"
                + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
                + "DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        store = new FirmwareStore(jdbc, dir.resolve("firmware"), () -> List.of(TRUSTED.getPublic()), 4096,
                Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void a_body_past_the_limit_is_refused_while_it_streams_and_leaves_nothing() throws Exception {
        InputStream endless = new InputStream() {
            private long given;

            @Override
            public int read() {
                given++;
                if (given > 1_000_000) {
                    throw new AssertionError("the store read far past its limit");
                }
                return 'x';
            }
        };

        assertThatThrownBy(() -> store.upload(endless, "admin")).isInstanceOf(FirmwareStore.TooLargeException.class)
                .hasMessageContaining("4096");

        assertThat(files()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM firmware_package").query(Long.class).single()).isZero();
    }

    @Test
    void a_package_within_the_limit_is_kept_and_found_by_id_and_token() throws Exception {
        byte[] cbfw = TestPackages.edge(TRUSTED, "1.0.0", TestPackages.payload(1000));

        StoredFirmware stored = store.upload(new ByteArrayInputStream(cbfw), "admin");

        assertThat(stored.uploadedAt()).isEqualTo(NOW);
        assertThat(store.find(stored.id())).contains(stored);
        assertThat(store.download(stored.downloadToken())).hasValueSatisfying(d -> {
            assertThat(d.firmware()).isEqualTo(stored);
            assertThat(d.file()).hasBinaryContent(cbfw);
        });
        assertThat(store.download("A".repeat(32))).isEmpty();
        assertThat(files()).containsExactly(store.fileOf(stored.id()));
    }

    @Test
    void a_package_whose_file_is_gone_is_not_offered_for_download() throws Exception {
        StoredFirmware stored = store.upload(new ByteArrayInputStream(TestPackages.edge(TRUSTED, "1.0.1",
                TestPackages.payload(100))), "admin");
        Files.delete(store.fileOf(stored.id()));

        assertThat(store.download(stored.downloadToken())).isEmpty();
    }

    @Test
    void uploads_a_stopped_hub_left_unfinished_are_removed_at_start() throws Exception {
        Files.createDirectories(dir.resolve("firmware"));
        Path part = Files.createFile(dir.resolve("firmware").resolve("upload-123.part"));
        Path other = Files.createFile(dir.resolve("firmware").resolve("notes.txt"));

        store.removeLeftovers();

        assertThat(part).doesNotExist();
        assertThat(other).exists();
    }

    private List<Path> files() throws IOException {
        if (!Files.isDirectory(dir.resolve("firmware"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir.resolve("firmware"))) {
            return files.toList();
        }
    }
}
