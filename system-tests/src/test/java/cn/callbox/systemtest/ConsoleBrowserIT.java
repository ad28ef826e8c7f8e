package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The township console in a real headless Chromium against a real hub and five simulated call boxes in their own
 * processes: the user logs in, sees the boxes on the map, a press appears live without a reload, the incident is
 * acknowledged from the console. Screenshots of the map and of the incident go to target/screenshots.
 * <p>
 * Its own hub (not the shared {@link DemoTownship}): presses here must not disturb the alarm-path tests' sirens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Duration LIVE = Duration.ofSeconds(15);

    private HubProcess hub;
    private final List<BoxProcess> boxes = new ArrayList<>();
    private Browser browser;
    private String base;

    @BeforeAll
    void start() throws IOException {
        Path data = Files.createTempDirectory("callbox-console-");
        hub = new HubProcess(data).start();
        for (Path config : hub.boxConfigs()) {
            boxes.add(new BoxProcess(config).start());
        }
        for (BoxProcess box : boxes) {
            Await.until(box.endpoint + " online", Duration.ofSeconds(60), () -> hub.isOnline(box.endpoint));
        }
        base = "http://127.0.0.1:" + hub.httpPort + "/";
        browser = new Browser(Files.createTempDirectory("callbox-chromium-"));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        boxes.forEach(BoxProcess::stop);
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    @Order(1)
    void a_visitor_is_asked_to_log_in_in_chinese_and_a_wrong_password_is_refused() {
        browser.open(base);
        browser.await(By.id("username"), LIVE);
        assertTrue(browser.driver.getCurrentUrl().endsWith("/login"), browser.driver.getCurrentUrl());
        assertTrue(browser.driver.getPageSource().contains("登录"), "the login page is in Chinese");
        logIn("admin", "not-the-password");
        assertTrue(browser.await(By.cssSelector("p.error"), LIVE).getText().contains("用户名或密码错误"));
    }

    @Test
    @Order(2)
    void after_login_the_map_shows_the_five_demo_boxes_online() {
        logIn("admin", hub.adminPassword());
        browser.await(By.cssSelector("#view[data-loaded='true']"), LIVE);
        List<String> states = browser.until("5 box markers on the map", LIVE, d -> {
            List<WebElement> markers = d.findElements(By.cssSelector("#map .box-marker[data-endpoint]"));
            return markers.size() == boxes.size() ? markers.stream().map(m -> m.getAttribute("data-state")).toList()
                    : null;
        });
        assertFalse(states.contains("offline"), "every demo box is online: " + states);
        assertTrue(browser.driver.getPageSource().contains("一图展示"), "the console is in Chinese");
        browser.screenshot("console-map");
    }

    @Test
    @Order(3)
    void a_press_appears_live_without_reload_and_the_alerted_boxes_turn_to_siren_sounding() {
        BoxProcess pressed = boxes.get(0);
        browser.script("window.__sameDocument = true;");

        pressed.press();

        WebElement banner = browser.await(By.cssSelector("#alarm-banner a"), LIVE);
        assertTrue(banner.getText().contains("新警情"), banner.getText());
        browser.await(By.cssSelector("#map-incidents li[data-incident-id]"), LIVE);
        browser.until(pressed.endpoint + " shows siren sounding", LIVE, d -> "siren".equals(
                d.findElement(By.cssSelector("#map .box-marker[data-endpoint='" + pressed.endpoint + "']"))
                        .getAttribute("data-state")));
        assertEquals(Boolean.TRUE, browser.script("return window.__sameDocument === true;"),
                "the page was not reloaded");
        assertTrue(browser.driver.findElement(By.cssSelector("#map-boxes li[data-endpoint='" + pressed.endpoint
                + "'] .box-state")).getText().contains("警报鸣响中"));
        browser.screenshot("console-map-alarm");
    }

    @Test
    @Order(4)
    void the_incident_is_acknowledged_from_its_page() {
        browser.driver.findElement(By.cssSelector("#alarm-banner a")).click();
        browser.await(By.id("incident-ack"), LIVE);
        String incidentId = browser.driver.findElement(By.cssSelector("#incident-detail [data-incident-id]"))
                .getAttribute("data-incident-id");
        new Select(browser.driver.findElement(By.id("ack-member"))).selectByIndex(0);
        browser.driver.findElement(By.id("incident-ack")).click();

        browser.until("the acknowledgement shows in the units table", LIVE, d -> d.findElements(
                By.cssSelector("#incident-units td.acked-at")).stream().anyMatch(td -> !td.getText().isBlank()));
        JsonNode incident = hub.incident(incidentId);
        assertEquals("acknowledged", incident.path("state").asText());
        assertTrue(browser.driver.findElements(By.cssSelector("#incident-log li[data-type='acknowledged']")).size()
                >= 1);
        browser.screenshot("console-incident");

        // a refusal reads in Chinese first, the hub's English detail after it
        browser.script("window.location.hash = '#incidents/INC-19990101-NONE';");
        String refusal = browser.await(By.cssSelector("#incident-detail p.error"), LIVE).getText();
        assertTrue(refusal.startsWith("操作失败：找不到该警情（") && refusal.contains("INC-19990101-NONE"), refusal);
    }

    @Test
    @Order(5)
    void a_drill_started_from_the_console_is_scored_live() {
        String unit = "hs-houshan";
        browser.open(base + "#drills");
        WebElement start = browser.await(By.cssSelector("[data-drill-unit='" + unit + "']"), LIVE);
        start.click(); // the first tap arms the button (a drill sounds the sirens), the second starts it
        browser.until("the start button armed", LIVE, d -> "armed".equals(start.getAttribute("data-confirm")));
        start.click();
        JsonNode drill = Await.value("the drill in GET /api/drills", LIVE, () -> {
            JsonNode drills = Json.parse(HubProcess.expectOk(hub.api().get("/api/drills")));
            return drills.size() > 0 ? drills.get(0) : null;
        });
        String drillId = drill.path("id").asText();
        String incidentId = drill.path("incidentId").asText();
        browser.await(By.cssSelector("[data-drill-id='" + drillId + "']"), LIVE);

        // the unit answers: the duty leader and two members acknowledge, the locker opens, they report on scene
        JsonNode duty = hub.unit(unit).path("duty");
        List<String> answering = new ArrayList<>();
        answering.add(duty.path("leader").asText());
        for (JsonNode member : duty.path("onDuty")) {
            if (answering.size() < 3 && !answering.contains(member.asText())) {
                answering.add(member.asText());
            }
        }
        for (String member : answering) {
            HubProcess.expectOk(hub.api().post("/api/incidents/" + incidentId + "/acks",
                    "{\"memberId\":\"" + member + "\"}"));
        }
        BoxProcess box = boxes.stream().filter(b -> b.endpoint.startsWith(unit)).findFirst().orElseThrow();
        assertEquals(200, box.sim().post("/locker/door/open", null).status());
        HubProcess.expectOk(hub.api().post("/api/incidents/" + incidentId + "/reports",
                "{\"status\":\"on-scene\",\"note\":\"到达\"}"));

        String score = browser.until("the drill's score on the page", Duration.ofSeconds(30), d -> {
            String text = d.findElement(By.cssSelector("[data-drill-id='" + drillId + "'] .score")).getText();
            String arrival = d.findElement(By.cssSelector("[data-drill-id='" + drillId + "'] .arrival")).getText();
            return !text.isBlank() && !arrival.isBlank() ? text : null;
        });
        assertTrue(score.matches(".*\\d+.*"), "a numeric score: " + score);
        browser.screenshot("console-drill");
        assertEquals(200, box.sim().post("/locker/door/close", null).status());
    }

    @Test
    @Order(6)
    void an_announcement_broadcast_from_the_console_is_played_by_the_chosen_box() {
        BoxProcess market = boxes.stream().filter(b -> b.endpoint.contains("market")).findFirst().orElseThrow();
        String text = "反诈预警：陌生来电要求转账，一律是诈骗。" + System.nanoTime() % 1000;
        // an ordinary announcement never cuts into an alarm or drill one (sound priorities): the earlier tests' alarms
        // may still be speaking at the market, so wait until its loudspeaker is free
        Await.until("the market box's loudspeaker is free", Duration.ofSeconds(60),
                () -> !market.state().path("loudspeaker").path("playing").asBoolean());
        browser.open(base + "#announcements");
        browser.await(By.id("announcement-text"), LIVE).sendKeys(text);
        browser.driver.findElement(By.cssSelector("input[data-endpoint='" + market.endpoint + "']")).click();
        browser.driver.findElement(By.id("announcement-send")).click();

        WebElement result = browser.await(By.cssSelector("#announcement-results [data-endpoint='" + market.endpoint
                + "']"), LIVE);
        assertFalse(result.getText().isBlank());
        Await.until("the box reports the text as played", LIVE,
                () -> text.equals(market.state().path("loudspeaker").path("lastText").asText()));
        browser.screenshot("console-announcement");
    }

    @Test
    @Order(7)
    void on_a_tablet_the_console_fits_the_screen_and_speaks_english_on_request() {
        browser.driver.manage().window().setSize(new Dimension(820, 1180));
        try {
            for (String page : List.of("map", "incidents", "callboxes", "drills", "readiness", "units", "firmware")) {
                browser.open(base + "#" + page);
                browser.await(By.cssSelector("#view.section-" + page), LIVE);
                Object overflow = browser.script(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(((Number) overflow).intValue() <= 0, page + " scrolls sideways by " + overflow + " px");
            }
            browser.screenshot("console-tablet");
            browser.driver.findElement(By.id("lang")).click();
            browser.until("the English console", LIVE, d -> d.findElement(By.id("nav")).getText().contains("Map"));
            browser.driver.findElement(By.id("lang")).click();
            browser.until("back to Chinese", LIVE, d -> d.findElement(By.id("nav")).getText().contains("一图展示"));
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1400, 900));
        }
    }

    @Test
    @Order(8)
    void the_firmware_page_opens_for_the_admin_with_no_package_yet() {
        browser.open(base + "#firmware");
        assertEquals("固件升级", browser.await(By.cssSelector("#view.section-firmware h2"), LIVE).getText());
        browser.until("the empty package list", LIVE, d -> d.findElement(By.cssSelector(
                "#firmware-packages tbody")).getText().contains("暂无固件包"));
        browser.until("the demo boxes to pick from", LIVE, d -> d.findElements(By.cssSelector(
                "#rollout-boxes .box-picks input[type=checkbox]")).size() == boxes.size());
        browser.screenshot("console-firmware");
    }

    private void logIn(String user, String password) {
        browser.open(base + "login");
        browser.await(By.id("username"), LIVE).sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver.findElement(By.id("login")).click();
    }
}
