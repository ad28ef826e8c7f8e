package cn.callbox.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.device.config.ConfigException;

class CallBoxMainTest {

    @TempDir
    Path folder;

    @Test
    void parses_the_documented_command_line() throws Exception {
        CallBoxMain.Args args = CallBoxMain.Args.parse(new String[] { "--config", "box.properties", "--simulate",
                "--sim-port", "0" });
        assertEquals(Path.of("box.properties"), args.config());
        assertTrue(args.simulate());
        assertEquals(0, args.simPort());
        assertEquals(CallBoxMain.DEFAULT_SIM_PORT,
                CallBoxMain.Args.parse(new String[] { "--config", "x", "--simulate" }).simPort());
        assertEquals(null, args.firmwareDir(), "no updates over the air without the wrapper's slots");
        assertEquals(Path.of("/var/lib/callbox/firmware"), CallBoxMain.Args.parse(new String[] { "--config", "x",
            "--firmware-dir", "/var/lib/callbox/firmware" }).firmwareDir());
    }

    @Test
    void usage_errors_are_one_clear_line() {
        assertThrows(ConfigException.Usage.class, () -> CallBoxMain.Args.parse(new String[] { "--simulate" }));
        assertThrows(ConfigException.Usage.class, () -> CallBoxMain.Args.parse(new String[] { "--config" }));
        assertThrows(ConfigException.Usage.class,
                () -> CallBoxMain.Args.parse(new String[] { "--config", "x", "--sim-port", "70000", "--simulate" }));
        assertThrows(ConfigException.Usage.class,
                () -> CallBoxMain.Args.parse(new String[] { "--config", "x", "--sim-port", "1" }));
        assertThrows(ConfigException.Usage.class, () -> CallBoxMain.Args.parse(new String[] { "--config", "x", "-v" }));
        assertThrows(ConfigException.Usage.class,
                () -> CallBoxMain.Args.parse(new String[] { "--config", "x", "--firmware-dir" }));
    }

    @Test
    void a_bad_config_exits_with_code_2_naming_the_key() throws Exception {
        Path file = folder.resolve("box.properties");
        Files.writeString(file, "endpoint=cb-1\nhub.uri=coaps://127.0.0.1:5684\npsk.identity=cb-1\npsk.key=00ff\n"
                + "location.lat=30\nlocation.lon=108\nplace=x\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = CallBoxMain.run(new String[] { "--config", file.toString(), "--simulate" },
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, exit);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("psk.key: too short"), message);
        assertEquals(1, message.strip().lines().count());
    }
}
