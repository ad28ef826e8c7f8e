package cn.callbox.hub.console;

import static cn.callbox.hub.testing.HubApi.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.callbox.hub.registry.TownshipDirectory;
import cn.callbox.hub.system.ConsoleFeed;
import cn.callbox.hub.system.HubProperties;
import cn.callbox.hub.testing.EmptyTownshipDirectory;
import cn.callbox.hub.testing.HubApi;
import cn.callbox.hub.testing.TestDataDir;
import cn.callbox.hub.testing.TestTownship;
import cn.callbox.hub.testing.TestUsers;

/**
 * The console's pages and its live feed with the hub's real HTTP security on a random port: login in zh-CN with CSRF,
 * the English switch, the map library served by the hub, CSRF on session-authenticated API changes (and not on HTTP
 * Basic ones), and server-sent events scoped to a unit leader's unit.
 */
@SpringBootTest(classes = ConsoleWebTest.Slice.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.datasource.url=jdbc:h2:mem:console-web;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                        + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
                "CALLBOX_ADMIN_PASSWORD=" + ConsoleWebTest.ADMIN_PASSWORD, "callbox.township=t" })
class ConsoleWebTest {

    static final String ADMIN_PASSWORD = "admin-pass-for-console";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableConfigurationProperties({ HubProperties.class, ConsoleProperties.class })
    @ComponentScan(basePackageClasses = { HubProperties.class, ConsolePages.class })
    static class Slice {

        /** The console's pages and feed do not read the registry; the box→unit lookup finds nothing. */
        @Bean
        TownshipDirectory directory() {
            return new EmptyTownshipDirectory();
        }
    }

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        TestDataDir.register(registry, "console-web-");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder encoder;

    @Autowired
    ConsoleFeed feed;

    private HubApi api;

    @BeforeEach
    void leaders() {
        api = HubApi.at(port, ADMIN_PASSWORD);
        TestUsers users = new TestUsers(jdbc, encoder);
        if (!users.exists("leader-a")) {
            new TestTownship(jdbc).township("t", "后山镇", "区").village("v", "t", "村")
                    .units("v", 30.7, 108.4, List.of("unit-a", "unit-b"));
            users.add("leader-a", "unit-leader", "unit-a");
            users.add("dispatcher-d", "dispatcher", null);
            users.add("police-p", "police", null);
        }
    }

    private HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(api.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in through the form as a browser does; returns the console page. */
    private String logIn(HttpClient client, String user, String password) throws Exception {
        String login = get(client, "/login").body();
        String csrf = match(CSRF_FIELD, login);
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + csrf;
        HttpResponse<String> home = client.send(HttpRequest.newBuilder(api.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return home.body();
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    @Test
    void an_anonymous_visitor_gets_the_chinese_login_page_and_no_api() throws Exception {
        HttpClient client = browser();
        HttpResponse<String> start = get(client, "/");
        assertThat(start.uri().getPath()).isEqualTo("/login");
        assertThat(start.body()).contains("登录", "name=\"_csrf\"", "lang=\"zh-CN\"");
        assertThat(get(client, "/api/events").statusCode()).isEqualTo(401);
        assertThat(get(client, "/api/audit").statusCode()).isEqualTo(401);
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/callboxes/nobody/self-test"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("an anonymous change is unauthenticated, not a CSRF failure").isEqualTo(401);
    }

    @Test
    void the_pages_carry_the_name_of_the_township_the_hub_serves() throws Exception {
        assertThat(get(browser(), "/login").body()).contains("<title>后山镇一键呼叫应急平台</title>",
                "<h1>后山镇一键呼叫应急平台</h1>");
        assertThat(get(browser(), "/login?lang=en").body()).contains("<title>后山镇 emergency call boxes</title>");

        jdbc.sql("UPDATE township SET name = '<i>前山镇</i>' WHERE id = 't'").update();
        try {
            assertThat(get(browser(), "/login").body()).as("a name from an import is text, not markup")
                    .contains("<title>&lt;i&gt;前山镇&lt;/i&gt;一键呼叫应急平台</title>");
        } finally {
            jdbc.sql("UPDATE township SET name = '后山镇' WHERE id = 't'").update();
        }
    }

    @Test
    void a_wrong_password_is_refused_in_chinese() throws Exception {
        String page = logIn(browser(), "admin", "wrong-password");
        assertThat(page).contains("用户名或密码错误");
    }

    @Test
    void the_console_serves_its_map_itself_and_switches_to_english_on_request() throws Exception {
        HttpClient client = browser();
        String home = logIn(client, "admin", ADMIN_PASSWORD);
        assertThat(home).contains(ConsolePages.LEAFLET + "leaflet.js", "console/core.js",
                "console/sections/10-map.js", "\"role\":\"admin\"", "一图展示");
        assertThat(home).doesNotContainPattern("<script[^>]+src=\"(https?:)?//");
        assertThat(get(client, "/" + ConsolePages.LEAFLET + "leaflet.js").statusCode()).isEqualTo(200);
        assertThat(get(client, "/console/core.js").statusCode()).isEqualTo(200);

        String english = get(client, "/?lang=en").body();
        assertThat(english).contains("lang=\"en\"", "\"ui.map.title\":\"Map\"");
        assertThat(get(client, "/").body()).as("the choice is kept").contains("lang=\"en\"");
        assertThat(get(client, "/?lang=zh-CN").body()).contains("lang=\"zh-CN\"");
    }

    @Test
    void session_changes_need_the_csrf_token_but_http_basic_calls_do_not() throws Exception {
        HttpClient client = browser();
        String home = logIn(client, "admin", ADMIN_PASSWORD);
        String token = match(CSRF_META, home);
        HttpRequest.Builder post = HttpRequest.newBuilder(api.uri("/api/callboxes/nobody/self-test"))
                .POST(HttpRequest.BodyPublishers.noBody());

        assertThat(client.send(post.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        int withToken = client.send(HttpRequest.newBuilder(api.uri("/api/callboxes/nobody/self-test"))
                .header("X-CSRF-TOKEN", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(withToken).as("past security: the API's own answer for an unknown box").isNotIn(401, 403);
        int basic = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/callboxes/nobody/self-test"))
                .header("Authorization", basic("admin", ADMIN_PASSWORD)).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        assertThat(basic).isEqualTo(withToken);
        assertThat(get(client, "/api/audit").statusCode()).as("the session reads the API").isEqualTo(200);
    }

    @Test
    void live_events_reach_township_roles_and_only_their_own_unit_reaches_a_unit_leader() throws Exception {
        BlockingQueue<String> admin = subscribe("admin", ADMIN_PASSWORD);
        BlockingQueue<String> leader = subscribe("leader-a", TestUsers.password("leader-a"));

        feed.publishForUnits("incident", new ConsoleFeed.RawJson("{\"id\":\"of-b\"}"), List.of("unit-b"));
        feed.publishForUnits("incident", new ConsoleFeed.RawJson("{\"id\":\"of-a\"}"), List.of("unit-a"));
        feed.publishScoped("incident", new ConsoleFeed.RawJson("{\"id\":\"later-b\"}"), () -> List.of("unit-b"));
        feed.publishScoped("incident", new ConsoleFeed.RawJson("{\"id\":\"later-a\"}"), () -> List.of("unit-a"));
        feed.publish("drill", new Ping("everyone"));

        assertThat(next(admin, "data:")).contains("of-b");
        assertThat(next(admin, "data:")).contains("of-a");
        assertThat(next(admin, "data:")).contains("later-b");
        assertThat(next(admin, "data:")).contains("later-a");
        assertThat(next(admin, "data:")).contains("everyone");
        assertThat(next(leader, "data:")).as("unit-b's event is not for leader-a").contains("of-a");
        assertThat(next(leader, "data:")).as("nor is a scoped one worked out later").contains("later-a");
        assertThat(next(leader, "data:")).contains("everyone");
    }

    @Test
    void an_admins_only_event_reaches_admins_and_no_other_role() throws Exception {
        BlockingQueue<String> admin = subscribe("admin", ADMIN_PASSWORD);
        BlockingQueue<String> dispatcher = subscribe("dispatcher-d", TestUsers.password("dispatcher-d"));
        BlockingQueue<String> police = subscribe("police-p", TestUsers.password("police-p"));
        BlockingQueue<String> leader = subscribe("leader-a", TestUsers.password("leader-a"));

        feed.publishForAdmins("firmware-rollout", new Ping("admins"));
        feed.publish("drill", new Ping("everyone"));

        assertThat(next(admin, "event:")).isEqualTo("event:firmware-rollout");
        assertThat(next(admin, "data:")).contains("admins");
        assertThat(next(admin, "data:")).contains("everyone");
        for (BlockingQueue<String> other : List.of(dispatcher, police, leader)) {
            assertThat(next(other, "data:")).as("the admins' event is not sent to other roles").contains("everyone");
        }
    }

    record Ping(String to) {
    }

    /** Opens /api/events with HTTP Basic and queues its lines; the stream's first event (hello) is consumed. */
    private BlockingQueue<String> subscribe(String user, String password) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                api.uri("/api/events")).header("Authorization", basic(user, password))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (Exception e) {
                lines.add("closed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(next(lines, "data:")).isEqualTo("data:{}");
        return lines;
    }

    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " within 10 s");
    }
}
