package cn.callbox.hub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class AdminAccountTest {

    @TempDir
    Path dataDir;

    private final PasswordEncoder encoder = new BCryptPasswordEncoder(4);
    private final ConsoleUsers users = new ConsoleUsers(migratedDatabase(),
            Clock.fixed(Instant.parse("2024-07-30T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void the_password_from_the_environment_is_used_and_no_file_is_written() {
        var outcome = new AdminAccount(users, encoder, dataDir, "from-the-env-1").ensure();

        assertThat(outcome).isEqualTo(AdminAccount.Outcome.CREATED_FROM_ENVIRONMENT);
        assertThat(encoder.matches("from-the-env-1", users.find("admin").orElseThrow().passwordHash())).isTrue();
        assertThat(users.find("admin").orElseThrow().role()).isEqualTo(ConsoleRole.ADMIN);
        assertThat(dataDir.resolve(AdminAccount.PASSWORD_FILE)).doesNotExist();
    }

    @Test
    void a_short_environment_password_is_refused_with_a_clear_error() {
        assertThatThrownBy(() -> new AdminAccount(users, encoder, dataDir, "short").ensure())
                .hasMessageContaining("CALLBOX_ADMIN_PASSWORD").hasMessageContaining("at least 8");
        assertThat(users.exists("admin")).isFalse();
    }

    @Test
    void without_the_environment_a_generated_password_is_written_once_with_mode_600() throws Exception {
        Path file = dataDir.resolve(AdminAccount.PASSWORD_FILE);

        var outcome = new AdminAccount(users, encoder, dataDir, " ").ensure();

        assertThat(outcome).isEqualTo(AdminAccount.Outcome.CREATED_WITH_GENERATED_PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        String hash = users.find("admin").orElseThrow().passwordHash();
        assertThat(encoder.matches(password, hash)).isTrue();

        // a restart: nothing regenerated, the file untouched, even with the environment set now
        assertThat(new AdminAccount(users, encoder, dataDir, null).ensure()).isEqualTo(AdminAccount.Outcome.EXISTED);
        assertThat(new AdminAccount(users, encoder, dataDir, "from-the-env-1").ensure())
                .isEqualTo(AdminAccount.Outcome.EXISTED);
        assertThat(Files.readString(file).trim()).isEqualTo(password);
        assertThat(users.find("admin").orElseThrow().passwordHash()).isEqualTo(hash);

        // the operator deleted the file after reading it: it stays deleted
        Files.delete(file);
        assertThat(new AdminAccount(users, encoder, dataDir, null).ensure()).isEqualTo(AdminAccount.Outcome.EXISTED);
        assertThat(file).doesNotExist();
    }

    @Test
    void a_password_file_left_from_an_earlier_database_is_reused_not_overwritten() throws Exception {
        Path file = dataDir.resolve(AdminAccount.PASSWORD_FILE);
        Files.writeString(file, "kept-from-before-123\n");

        var outcome = new AdminAccount(users, encoder, dataDir, null).ensure();

        assertThat(outcome).isEqualTo(AdminAccount.Outcome.CREATED_FROM_EXISTING_FILE);
        assertThat(Files.readString(file)).isEqualTo("kept-from-before-123\n");
        assertThat(encoder.matches("kept-from-before-123", users.find("admin").orElseThrow().passwordHash())).isTrue();
    }

    @Test
    void generated_passwords_differ() {
        assertThat(AdminAccount.generatePassword()).isNotEqualTo(AdminAccount.generatePassword());
    }

    private static JdbcClient migratedDatabase() {
        var dataSource = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("1").load().migrate();
        return JdbcClient.create(dataSource);
    }
}
