package cn.callbox.hub.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import cn.callbox.hub.mqtt.MqttPrincipal;
import cn.callbox.hub.mqtt.MqttPrincipal.Role;
import cn.callbox.hub.registry.TownshipSeed.Member;

class RegistryMqttAccountsTest {

    private final PasswordEncoder encoder = new BCryptPasswordEncoder(4);
    private final TestDatabase db = new TestDatabase();
    private final RegistryMqttAccounts accounts = new RegistryMqttAccounts(db.jdbc, encoder);

    @AfterEach
    void shutdown() {
        db.shutdown();
    }

    @Test
    void admins_and_members_with_an_mqtt_password_log_in_and_nobody_else() {
        List<Member> members = new ArrayList<>(RegistryServiceTest.members("u1", 5, true));
        members.set(0, new Member("u1-m1", "张三", "综治专干", true, null, encoder.encode("member-pass")));
        db.registry().importTownship(RegistryServiceTest.township(members, List.of()));
        addUser("admin", "admin-pass", "admin");
        addUser("disp", "disp-pass", "dispatcher");

        assertThat(login("admin", "admin-pass")).contains(new MqttPrincipal("admin", Role.ADMIN, null));
        assertThat(login("u1-m1", "member-pass")).contains(new MqttPrincipal("u1-m1", Role.MEMBER, "u1"));

        assertThat(login("admin", "wrong")).isEmpty();
        assertThat(login("u1-m1", "wrong")).isEmpty();
        assertThat(login("u1-m2", "")).isEmpty(); // a member without an MQTT password
        assertThat(login("disp", "disp-pass")).isEmpty(); // not an admin
        assertThat(login("nobody", "member-pass")).isEmpty();
        assertThat(accounts.authenticate(null, null)).isEmpty();
    }

    @Test
    void a_database_that_cannot_be_read_refuses_the_login() {
        addUser("admin", "admin-pass", "admin");
        assertThat(login("admin", "admin-pass")).isPresent();

        db.shutdown(); // the next connection finds an empty database without the registry's tables
        assertThat(login("admin", "admin-pass")).isEmpty();
    }

    private java.util.Optional<MqttPrincipal> login(String user, String password) {
        return accounts.authenticate(user, password.getBytes(StandardCharsets.UTF_8));
    }

    private void addUser(String name, String password, String role) {
        db.jdbc.sql("INSERT INTO users (username, password_hash, role, unit_id, created_at) VALUES (?, ?, ?, NULL, ?)")
                .params(name, encoder.encode(password), role, OffsetDateTime.now()).update();
    }
}
