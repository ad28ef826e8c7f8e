package cn.callbox.hub.registry;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

import cn.callbox.hub.mqtt.MqttAccounts;
import cn.callbox.hub.mqtt.MqttPrincipal;

/**
 * MQTT credentials from the registry: console users with the {@code admin} role log in with their console password
 * and may read the whole township ({@link MqttPrincipal.Role#ADMIN}); unit members with an MQTT password log in with
 * their member id ({@link MqttPrincipal.Role#MEMBER} of their unit). Passwords are checked against BCrypt hashes.
 * Unknown users, wrong passwords and a database that cannot be read all give empty (the client is refused). Thread-safe;
 * each call costs a BCrypt check (tens of milliseconds).
 */
class RegistryMqttAccounts implements MqttAccounts {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryMqttAccounts.class);

    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    RegistryMqttAccounts(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    private record Account(String hash, String unitId) {
    }

    @Override
    public Optional<MqttPrincipal> authenticate(String username, byte[] password) {
        if (username == null || username.isBlank() || password == null || password.length == 0) {
            return Optional.empty();
        }
        String given = new String(password, StandardCharsets.UTF_8);
        try {
            Optional<Account> admin = jdbc.sql("SELECT password_hash FROM users WHERE username = ? AND role = 'admin'")
                    .param(username).query((rs, n) -> new Account(rs.getString(1), null)).optional();
            if (admin.isPresent() && encoder.matches(given, admin.get().hash())) {
                return Optional.of(new MqttPrincipal(username, MqttPrincipal.Role.ADMIN, null));
            }
            Optional<Account> member = jdbc.sql("SELECT mqtt_password_hash, unit_id FROM member"
                    + " WHERE id = ? AND mqtt_password_hash IS NOT NULL")
                    .param(username).query((rs, n) -> new Account(rs.getString(1), rs.getString(2))).optional();
            if (member.isPresent() && encoder.matches(given, member.get().hash())) {
                return Optional.of(new MqttPrincipal(username, MqttPrincipal.Role.MEMBER, member.get().unitId()));
            }
        } catch (DataAccessException e) {
            LOG.warn("MQTT login of '{}' refused: the registry cannot be read ({})", username, e.getMessage());
        }
        return Optional.empty();
    }
}
