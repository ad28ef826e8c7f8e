package cn.callbox.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.protocol.config.DeviceConfigKeys;

/** Broken configs and wrong credentials get a clear refusal, and the rest of the township carries on. */
@ExtendWith(DemoTownship.Shared.class)
class BadInputIT {

    private static final Duration REFUSED_FOR = Duration.ofSeconds(8);

    private final DemoTownship township;

    @TempDir
    Path dir;

    BadInputIT(DemoTownship township) {
        this.township = township;
    }

    @Test
    void a_broken_config_stops_the_box_with_one_line_naming_the_key() throws IOException {
        Properties config = demoConfig();
        config.setProperty(DeviceConfigKeys.PSK_KEY, "not-hex");
        Path file = write(config, "broken.properties");

        JavaProcess box = edge(file);
        assertEquals(2, box.waitFor(30), box.output());
        assertTrue(box.output().contains(DeviceConfigKeys.PSK_KEY), "names the key: " + box.output());
    }

    @Test
    void a_missing_config_file_stops_the_box_naming_the_file() {
        Path missing = dir.resolve("nowhere.properties");
        JavaProcess box = edge(missing);
        assertEquals(2, box.waitFor(30), box.output());
        assertTrue(box.output().contains("nowhere.properties"), box.output());
    }

    @Test
    void a_box_with_a_wrong_key_never_registers() throws IOException {
        Properties config = demoConfig();
        config.setProperty(DeviceConfigKeys.PSK_KEY, HexFormat.of().formatHex(new byte[16]));
        config.setProperty(DeviceConfigKeys.OUTBOX_DIR, dir.resolve("outbox-wrong-key").toString());
        assertRefused(write(config, "wrong-key.properties"));
    }

    @Test
    void an_endpoint_the_hub_does_not_know_never_registers() throws IOException {
        Properties config = demoConfig();
        config.setProperty(DeviceConfigKeys.ENDPOINT, "hs-stranger-99");
        config.setProperty(DeviceConfigKeys.PSK_IDENTITY, "hs-stranger-99");
        config.setProperty(DeviceConfigKeys.OUTBOX_DIR, dir.resolve("outbox-stranger").toString());
        assertRefused(write(config, "stranger.properties"));
        assertFalse(township.hub.callBoxes().toString().contains("hs-stranger-99"));
    }

    private void assertRefused(Path config) {
        try (BoxProcess box = new BoxProcess(config).start()) {
            Await.holds("the box stays unregistered", REFUSED_FOR, () -> !box.registered());
            for (BoxProcess demo : township.boxes) {
                assertTrue(township.hub.isOnline(demo.endpoint), demo.endpoint + " still online");
            }
        }
    }

    private Properties demoConfig() throws IOException {
        Path first = township.hub.boxConfigs().get(0);
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(first, StandardCharsets.UTF_8)) {
            config.load(reader);
        }
        return config;
    }

    private Path write(Properties config, String name) throws IOException {
        Path file = dir.resolve(name);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(writer, "test config");
        }
        return file;
    }

    private static JavaProcess edge(Path config) {
        return new JavaProcess("box-bad-config", Path.of(System.getProperty("callbox.edge.jar")),
                List.of("-Xmx96m", "-XX:TieredStopAtLevel=1"), List.of("--config", config.toString())).start();
    }
}
