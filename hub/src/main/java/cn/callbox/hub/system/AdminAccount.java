package cn.callbox.hub.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Creates the first admin user, {@value #USERNAME}, when there is none (ARCHITECTURE.md, security: no default
 * passwords). Its password is {@code CALLBOX_ADMIN_PASSWORD} when set; otherwise a strong random one, written once
 * to {@code <data-dir>/initial-admin-password} (mode 600, created with that mode). An existing admin is never
 * touched: nothing is regenerated on restart, and a deleted password file is not recreated. The password is never
 * logged, only where it is.
 */
final class AdminAccount {

    static final String USERNAME = "admin";
    static final String PASSWORD_FILE = "initial-admin-password";
    static final int MIN_PASSWORD_LENGTH = 8;

    private static final Logger LOG = LoggerFactory.getLogger(AdminAccount.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What {@link #ensure()} did. */
    enum Outcome {
        /** The admin existed already; nothing changed. */
        EXISTED,
        /** Created with the password from the environment. */
        CREATED_FROM_ENVIRONMENT,
        /** Created with a generated password, now in the password file. */
        CREATED_WITH_GENERATED_PASSWORD,
        /** Created with the password of a password file left from an earlier start (the database was reset). */
        CREATED_FROM_EXISTING_FILE
    }

    private final ConsoleUsers users;
    private final PasswordEncoder encoder;
    private final Path passwordFile;
    private final String environmentPassword;

    /**
     * @param dataDir the hub's data dir
     * @param environmentPassword the value of {@code CALLBOX_ADMIN_PASSWORD}; null or blank when unset
     */
    AdminAccount(ConsoleUsers users, PasswordEncoder encoder, Path dataDir, String environmentPassword) {
        this.users = users;
        this.encoder = encoder;
        this.passwordFile = dataDir.resolve(PASSWORD_FILE);
        this.environmentPassword = environmentPassword == null || environmentPassword.isBlank() ? null
                : environmentPassword;
    }

    Path passwordFile() {
        return passwordFile;
    }

    /**
     * Makes sure the admin exists.
     *
     * @throws IllegalStateException when {@code CALLBOX_ADMIN_PASSWORD} is shorter than {@value #MIN_PASSWORD_LENGTH}
     *         characters
     * @throws UncheckedIOException when the password file cannot be written (then no admin is created either)
     */
    Outcome ensure() {
        if (users.exists(USERNAME)) {
            LOG.info("Admin user '{}' exists; its password is unchanged", USERNAME);
            return Outcome.EXISTED;
        }
        if (environmentPassword != null) {
            if (environmentPassword.length() < MIN_PASSWORD_LENGTH) {
                throw new IllegalStateException("CALLBOX_ADMIN_PASSWORD is too short: use at least "
                        + MIN_PASSWORD_LENGTH + " characters");
            }
            users.create(USERNAME, encoder.encode(environmentPassword), ConsoleRole.ADMIN, null);
            LOG.info("Admin user '{}' created with the password from CALLBOX_ADMIN_PASSWORD", USERNAME);
            return Outcome.CREATED_FROM_ENVIRONMENT;
        }
        String password = generatePassword();
        try {
            SecretFiles.createOnce(passwordFile, password + "\n");
        } catch (FileAlreadyExistsException e) {
            return createFromExistingFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the initial admin password to " + passwordFile, e);
        }
        try {
            users.create(USERNAME, encoder.encode(password), ConsoleRole.ADMIN, null);
        } catch (RuntimeException e) {
            deleteQuietly();
            throw e;
        }
        LOG.info("Admin user '{}' created; its generated password is in {} (readable by the owner only)", USERNAME,
                passwordFile.toAbsolutePath());
        return Outcome.CREATED_WITH_GENERATED_PASSWORD;
    }

    private Outcome createFromExistingFile() {
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passwordFile, e);
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalStateException(passwordFile + " exists but holds no usable password; delete it so that"
                    + " a new one is generated");
        }
        users.create(USERNAME, encoder.encode(password), ConsoleRole.ADMIN, null);
        LOG.info("Admin user '{}' created with the password kept in {}", USERNAME, passwordFile.toAbsolutePath());
        return Outcome.CREATED_FROM_EXISTING_FILE;
    }

    /** 144 random bits, URL-safe Base64 (24 characters). */
    static String generatePassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(passwordFile);
        } catch (IOException e) {
            LOG.warn("Could not remove {} after a failed admin creation", passwordFile, e);
        }
    }
}
