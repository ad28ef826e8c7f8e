package cn.callbox.hub.system;

import static cn.callbox.hub.testing.HubApi.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * {@code /api/users} with the hub's real HTTP security over H2 with every migration: admin only, passwords never
 * answered, the rules as 422 naming the rule, the last admin kept.
 */
@SpringBootTest(classes = UserApiTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:user-api;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + UserApiTest.ADMIN_PASSWORD })
class UserApiTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-users";

    /** Not a {@code @Configuration}: the other tests' scans of this package must not pick it up. */
    @EnableAutoConfiguration
    @EnableConfigurationProperties(HubProperties.class)
    @ComponentScan(basePackageClasses = HubProperties.class,
            excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = ".*Test\\$.*"))
    static class Slice {
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "user-api-");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    ConsoleUsers users;

    private HubApi api;

    @BeforeEach
    void seed() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestTownship township = new TestTownship(jdbc);
        if (township.isEmpty()) {
            township.township("t1", "一镇", "某区").village("v1", "t1", "一村").unit("u1", "v1", "一村单元", 30.7, 108.4);
            TestUsers users = new TestUsers(jdbc, encoder);
            users.add("disp", "dispatcher", null);
            users.add("lead", "unit-leader", "u1");
            users.add("pol", "police", null);
        }
    }

    @Test
    void an_admin_lists_creates_and_deletes_accounts_and_passwords_are_never_answered() throws Exception {
        HttpResponse<String> created = api.send("POST", "/api/users", "admin", ADMIN_PASSWORD,
                "{\"username\":\"leader-u1\",\"password\":\"村长的密码12345678\",\"role\":\"unit-leader\",\"unit\":\"u1\"}");
        JsonNode user = api.ok(created, 201);
        assertThat(fields(user)).containsExactly("role", "unit", "username");
        assertThat(user.path("unit").asText()).isEqualTo("u1");
        assertThat(created.body()).doesNotContain("村长的密码", "password");

        HttpResponse<String> list = api.send("GET", "/api/users", "admin", ADMIN_PASSWORD, null);
        JsonNode all = api.ok(list, 200);
        assertThat(names(all)).contains("admin", "disp", "leader-u1").isSorted();
        assertThat(list.body()).doesNotContain("$2a$", "password");
        all.forEach(u -> assertThat(fields(u)).containsExactly("role", "unit", "username"));

        assertThat(api.send("GET", "/api/nothing-here", "leader-u1", "村长的密码12345678", null).statusCode())
                .as("the new leader logs in").isEqualTo(404);
        assertThat(api.ok(api.send("POST", "/api/users", "admin", ADMIN_PASSWORD,
                "{\"username\":\"cmd-2\",\"password\":\"dispatch-pass-1\",\"role\":\"dispatcher\"}"), 201)
                .get("unit").isNull()).isTrue();

        assertThat(api.send("DELETE", "/api/users/cmd-2", "admin", ADMIN_PASSWORD, null).statusCode()).isEqualTo(204);
        assertThat(users.exists("cmd-2")).isFalse();
        api.problem(api.send("DELETE", "/api/users/cmd-2", "admin", ADMIN_PASSWORD, null), 404);
        assertThat(audited("user-create")).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE action = 'user-delete' AND target = 'cmd-2'")
                .query(String.class).list()).containsExactly("admin");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%密码%' OR detail LIKE '%pass%'")
                .query(Long.class).single()).as("no password in the audit log").isZero();
    }

    @Test
    void a_password_is_changed_and_the_old_one_stops_working() throws Exception {
        api.ok(api.send("POST", "/api/users", "admin", ADMIN_PASSWORD,
                "{\"username\":\"pw-user\",\"password\":\"first-pass-1\",\"role\":\"police\"}"), 201);
        assertThat(api.send("GET", "/api/nothing-here", "pw-user", "first-pass-1", null).statusCode()).isEqualTo(404);

        assertThat(api.send("POST", "/api/users/pw-user/password", "admin", ADMIN_PASSWORD,
                "{\"password\":\"second-pass-2\"}").statusCode()).isEqualTo(204);

        assertThat(api.send("GET", "/api/nothing-here", "pw-user", "first-pass-1", null).statusCode()).isEqualTo(401);
        assertThat(api.send("GET", "/api/nothing-here", "pw-user", "second-pass-2", null).statusCode()).isEqualTo(404);
        assertThat(rule(api.send("POST", "/api/users/pw-user/password", "admin", ADMIN_PASSWORD,
                "{\"password\":\"short\"}"))).isEqualTo("password-length");
        api.problem(api.send("POST", "/api/users/nobody/password", "admin", ADMIN_PASSWORD,
                "{\"password\":\"long-enough-1\"}"), 404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'user-password' AND target = 'pw-user'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void the_rules_are_422_naming_the_rule_and_nothing_is_created() throws Exception {
        assertThat(rule(create("bad name", "long-enough-1", "police", null))).isEqualTo("username");
        assertThat(rule(create("short-pw", "123456789", "police", null))).isEqualTo("password-length");
        assertThat(rule(create("long-pw", "长".repeat(25), "police", null))).as("over 72 bytes")
                .isEqualTo("password-length");
        assertThat(rule(create("no-role", "long-enough-1", "mayor", null))).isEqualTo("role");
        assertThat(rule(create("lead-x", "long-enough-1", "unit-leader", null))).isEqualTo("unit-for-leader");
        assertThat(rule(create("disp-x", "long-enough-1", "dispatcher", "u1"))).isEqualTo("unit-for-leader");
        assertThat(rule(create("lead-y", "long-enough-1", "unit-leader", "nowhere"))).isEqualTo("known-unit");
        assertThat(api.problem(create("disp", "long-enough-1", "police", null), 409).path("type").asText())
                .isEqualTo("urn:callbox:problem:user-taken");
        api.problem(api.send("POST", "/api/users", "admin", ADMIN_PASSWORD, "{not json"), 400);

        for (String name : List.of("bad name", "short-pw", "long-pw", "no-role", "lead-x", "disp-x", "lead-y")) {
            assertThat(users.exists(name)).as(name).isFalse();
        }
        assertThat(users.find("disp").orElseThrow().role()).isEqualTo(ConsoleRole.DISPATCHER);
    }

    @Test
    void the_last_admin_is_not_deleted() throws Exception {
        assertThat(api.problem(api.send("DELETE", "/api/users/admin", "admin", ADMIN_PASSWORD, null), 409).path("type")
                .asText()).isEqualTo("urn:callbox:problem:last-admin");
        assertThat(users.exists("admin")).isTrue();

        api.ok(api.send("POST", "/api/users", "admin", ADMIN_PASSWORD,
                "{\"username\":\"admin-2\",\"password\":\"second-admin-1\",\"role\":\"admin\"}"), 201);
        assertThat(api.send("DELETE", "/api/users/admin-2", "admin", ADMIN_PASSWORD, null).statusCode()).isEqualTo(204);
        api.problem(api.send("DELETE", "/api/users/admin", "admin", ADMIN_PASSWORD, null), 409);
    }

    @Test
    void only_admins_manage_accounts() throws Exception {
        for (String user : List.of("disp", "lead", "pol")) {
            String password = TestUsers.password(user);
            api.problem(api.send("GET", "/api/users", user, password, null), 403);
            api.problem(api.send("POST", "/api/users", user, password,
                    "{\"username\":\"sneaky\",\"password\":\"long-enough-1\",\"role\":\"admin\"}"), 403);
            api.problem(api.send("DELETE", "/api/users/disp", user, password, null), 403);
            api.problem(api.send("POST", "/api/users/admin/password", user, password,
                    "{\"password\":\"taken-over-1\"}"), 403);
        }
        assertThat(users.exists("sneaky")).isFalse();
        assertThat(users.exists("disp")).isTrue();
        assertThat(api.send("GET", "/api/users", "admin", ADMIN_PASSWORD, null).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> create(String name, String password, String role, String unit) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        var body = mapper.createObjectNode().put("username", name).put("password", password).put("role", role);
        if (unit != null) {
            body.put("unit", unit);
        }
        return api.send("POST", "/api/users", "admin", ADMIN_PASSWORD, mapper.writeValueAsString(body));
    }

    private String rule(HttpResponse<String> response) throws Exception {
        JsonNode problem = api.problem(response, 422);
        assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:user-rule");
        return problem.path("rule").asText();
    }

    private long audited(String action) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?").param(action).query(Long.class).single();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(u -> names.add(u.path("username").asText()));
        return names;
    }
}
