package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

class FirmwareSlotsTest {

    private static final String SHA = "0".repeat(64);

    @TempDir
    Path folder;

    private Path jar(String content) throws IOException {
        Path file = Files.createTempFile(folder, "verified", ".jar.part");
        Files.writeString(file, content);
        return file;
    }

    private static FirmwarePackage.Manifest manifest(String version) {
        return new FirmwarePackage.Manifest(FirmwarePackage.EDGE_FIRMWARE, version, 10, SHA,
                Instant.parse("2026-11-01T00:00:00Z"));
    }

    private Path dir() {
        return folder.resolve("firmware");
    }

    private String link(String name) throws IOException {
        return Files.readSymbolicLink(dir().resolve(name)).toString();
    }

    private List<String> lines(String name) throws IOException {
        return Files.readAllLines(dir().resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void installs_into_a_then_b_alternately_switching_current_and_putting_each_on_trial() throws IOException {
        FirmwareSlots slots = new FirmwareSlots(dir());
        assertEquals(Optional.empty(), slots.currentSlot(), "the factory jar runs at first");
        assertEquals("0.1.0", slots.runningVersion("0.1.0"));
        Files.writeString(dir().resolve(FirmwareSlots.TRIAL_STARTS), "2\n");

        assertEquals("a", slots.install(jar("first jar"), manifest("0.2.0")));

        assertEquals("a", link("current"), "a relative link");
        assertEquals("first jar", Files.readString(dir().resolve("a/callbox-edge.jar")));
        assertTrue(lines("a/manifest.properties").contains("version=0.2.0"));
        assertTrue(lines("a/manifest.properties").contains("name=callbox-edge"));
        assertEquals(List.of("slot=a", "previous=factory", "version=0.2.0"), lines("trial"));
        assertFalse(Files.exists(dir().resolve(FirmwareSlots.TRIAL_STARTS)), "a new trial starts counting afresh");
        assertFalse(Files.exists(dir().resolve("current.new"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(slots.onTrial());
        assertEquals("0.2.0", slots.runningVersion("0.1.0"));

        assertEquals(Optional.of(Result.SUCCESS), slots.endTrial(), "registered: confirmed");
        assertFalse(Files.exists(dir().resolve("trial")));
        assertEquals(List.of("1", "installed 0.2.0"), lines("update-result"));
        assertEquals(Result.SUCCESS, slots.lastResult());
        assertEquals(Optional.empty(), slots.endTrial(), "nothing left to confirm");

        Files.writeString(Files.createDirectories(dir().resolve("b")).resolve("stale.txt"), "old");
        assertEquals("b", slots.install(jar("second jar"), manifest("0.3.0")));

        assertEquals("b", link("current"));
        assertEquals("second jar", Files.readString(dir().resolve("b/callbox-edge.jar")));
        assertFalse(Files.exists(dir().resolve("b/stale.txt")), "the inactive slot is emptied first");
        assertEquals("first jar", Files.readString(dir().resolve("a/callbox-edge.jar")), "the previous slot stays");
        assertEquals(List.of("slot=b", "previous=a", "version=0.3.0"), lines("trial"));
        assertEquals(new FirmwareSlots.Installed("callbox-edge", "0.3.0"), slots.current().orElseThrow());

        assertEquals(Optional.of(Result.SUCCESS), slots.endTrial());
        assertEquals("a", slots.install(jar("third jar"), manifest("0.4.0")), "back to a");
        assertEquals("a", link("current"));
        assertEquals(List.of("slot=a", "previous=b", "version=0.4.0"), lines("trial"));
        assertEquals("third jar", Files.readString(dir().resolve("a/callbox-edge.jar")));
    }

    @Test
    void a_trial_naming_another_slot_than_current_is_an_interrupted_install() throws IOException {
        FirmwareSlots slots = new FirmwareSlots(dir());
        slots.install(jar("first jar"), manifest("0.2.0"));
        slots.endTrial();
        // a crash after the trial was written, before current switched
        Files.writeString(dir().resolve("trial"), "slot=b\nprevious=a\nversion=0.3.0\n");
        Files.writeString(dir().resolve("trial-starts"), "1\n");

        assertFalse(slots.onTrial());
        assertTrue(slots.clearInterruptedInstall());

        assertFalse(Files.exists(dir().resolve("trial")));
        assertFalse(Files.exists(dir().resolve("trial-starts")));
        assertEquals(List.of("8", "interrupted install"), lines("update-result"));
        assertEquals(Result.UPDATE_FAILED, slots.lastResult());
        assertEquals("a", link("current"), "the old slot runs on");
        assertFalse(slots.clearInterruptedInstall(), "once");
    }

    @Test
    void the_version_is_the_factory_one_unless_current_has_a_jar_and_a_manifest() throws IOException {
        FirmwareSlots slots = new FirmwareSlots(dir());
        Files.createDirectories(dir().resolve("b"));
        Files.createSymbolicLink(dir().resolve("current"), Path.of("b"));
        assertEquals("0.1.0", slots.runningVersion("0.1.0"), "no jar in b: the wrapper starts the factory jar");

        Files.writeString(dir().resolve("b/callbox-edge.jar"), "jar");
        Files.writeString(dir().resolve("b/manifest.properties"), "name=callbox-edge\nversion=0.5.1\n");
        assertEquals("0.5.1", slots.runningVersion("0.1.0"));
        assertEquals("a", slots.inactiveSlot());
    }

    @Test
    void the_last_result_is_what_update_result_says_or_initial() throws IOException {
        FirmwareSlots slots = new FirmwareSlots(dir());
        assertEquals(Result.INITIAL, slots.lastResult());
        Files.writeString(dir().resolve("update-result"), "8\nrolled back 0.3.0: not registered within 300 s\n");
        assertEquals(Result.UPDATE_FAILED, slots.lastResult());
        assertEquals("rolled back 0.3.0: not registered within 300 s", slots.lastResultMessage());
        Files.writeString(dir().resolve("update-result"), "garbage\n");
        assertEquals(Result.INITIAL, slots.lastResult());
    }
}
