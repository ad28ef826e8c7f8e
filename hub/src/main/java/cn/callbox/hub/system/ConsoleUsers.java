package cn.callbox.hub.system;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
                .authorities(List.of(new SimpleGrantedAuthority(user.role().authority())))
                .build();
    }
}
