package cn.callbox.hub.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * Console and API users in the {@code users} table; the {@link UserDetailsService} of both the API (HTTP Basic) and
 * the console (form login). Passwords are stored as BCrypt hashes only. Thread-safe.
 */
class ConsoleUsers implements UserDetailsService {

    private final JdbcClient jdbc;
    private final Clock clock;

    ConsoleUsers(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A stored user. {@code unitId} is set for unit leaders only. */
    record ConsoleUser(String username, String passwordHash, ConsoleRole role, String unitId) {
    }

    Optional<ConsoleUser> find(String username) {
        return jdbc.sql("SELECT username, password_hash, role, unit_id FROM users WHERE username = ?")
                .param(username)
                .query((rs, n) -> new ConsoleUser(rs.getString(1), rs.getString(2),
                        ConsoleRole.ofDbName(rs.getString(3)).orElseThrow(), rs.getString(4)))
                .optional();
    }

    boolean exists(String username) {
        return find(username).isPresent();
    }

    /** Every user, ordered by user name (sorted in Java: the same order on H2 and PostgreSQL). */
    List<ConsoleUser> all() {
        List<ConsoleUser> users = new ArrayList<>(jdbc.sql("SELECT username, password_hash, role, unit_id FROM users")
                .query((rs, n) -> new ConsoleUser(rs.getString(1), rs.getString(2),
                        ConsoleRole.ofDbName(rs.getString(3)).orElseThrow(), rs.getString(4)))
                .list());
        users.sort(Comparator.comparing(ConsoleUser::username));
        return users;
    }

    boolean unitExists(String unitId) {
        return jdbc.sql("SELECT COUNT(*) FROM unit WHERE id = ?").param(unitId).query(Long.class).single() > 0;
    }

    /** Outcome of {@link #delete}. */
    enum Deletion {
        DELETED, NO_SUCH_USER, LAST_ADMIN
    }

    /**
     * Deletes a user, unless it is the last admin (checked and deleted in one statement, so two admins deleting each
     * other at once cannot leave the hub without one).
     */
    Deletion delete(String username) {
        int deleted = jdbc.sql("DELETE FROM users WHERE username = ? AND (role <> ?"
                + " OR (SELECT COUNT(*) FROM users WHERE role = ?) > 1)")
                .params(username, ConsoleRole.ADMIN.dbName(), ConsoleRole.ADMIN.dbName())
                .update();
        if (deleted > 0) {
            return Deletion.DELETED;
        }
        return exists(username) ? Deletion.LAST_ADMIN : Deletion.NO_SUCH_USER;
    }

    /**
     * @param passwordHash BCrypt hash, never the password
     * @return false when there is no such user
     */
    boolean changePassword(String username, String passwordHash) {
        return jdbc.sql("UPDATE users SET password_hash = ? WHERE username = ?").params(passwordHash, username)
                .update() > 0;
    }

    /**
     * Adds a user.
     *
     * @param passwordHash BCrypt hash, never the password
     * @param unitId the unit of a unit leader; null for other roles
     * @throws org.springframework.dao.DuplicateKeyException when the username is taken
     */
    void create(String username, String passwordHash, ConsoleRole role, String unitId) {
        if ((role == ConsoleRole.UNIT_LEADER) != (unitId != null)) {
            throw new IllegalArgumentException("a unit leader, and only a unit leader, belongs to a unit");
        }
        jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(username, passwordHash, role.dbName(), unitId,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        ConsoleUser user = find(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(user.username())
                .password(user.passwordHash())
                .authorities(user.unitId() == null
                        ? List.of(new SimpleGrantedAuthority(user.role().authority()))
                        : List.of(new SimpleGrantedAuthority(user.role().authority()),
                                new SimpleGrantedAuthority(Caller.UNIT_AUTHORITY_PREFIX + user.unitId())))
                .build();
    }
}
