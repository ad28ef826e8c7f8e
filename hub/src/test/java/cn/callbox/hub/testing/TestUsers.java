package cn.callbox.hub.testing;

import java.time.OffsetDateTime;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Console users inserted straight into the {@code users} table, each with the password {@link #password(String)}
 * (the one {@link HubApi} sends for them). The admin is not here: the hub creates it from
 * {@code CALLBOX_ADMIN_PASSWORD}.
 */
public final class TestUsers {

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    public TestUsers(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    /** The test password of a user other than the admin: {@code <username>-pass}. */
    public static String password(String username) {
        return username + "-pass";
    }

    /** Whether the user is in the table (tests that share one database seed it once). */
    public boolean exists(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE username = ?").param(username).query(Integer.class)
                .single() > 0;
    }

    /**
     * Adds a user with the role as stored ({@code dispatcher}, {@code police}, {@code unit-leader}, {@code admin}) and
     * the unit of a unit leader ({@code null} for the others), created now.
     */
    public TestUsers add(String username, String role, String unitId) {
        jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(username, encoder.encode(password(username)), role, unitId, OffsetDateTime.now()).update();
        return this;
    }
}
