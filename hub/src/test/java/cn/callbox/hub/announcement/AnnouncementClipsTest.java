package cn.callbox.hub.announcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The hub's clip names are the clips the edge firmware ships (its zh-CN bundle, read from the source tree). */
class AnnouncementClipsTest {

    static final Path EDGE_BUNDLE = Path.of("..", "edge-device", "src", "main", "resources", "cn", "callbox",
            "device", "announce", "messages.properties");

    @Test
    void the_hub_knows_exactly_the_clips_of_the_firmware() throws Exception {
        assumeTrue(Files.isRegularFile(EDGE_BUNDLE), "edge-device sources beside the hub module");
        Properties bundle = new Properties();
        try (Reader reader = Files.newBufferedReader(EDGE_BUNDLE, StandardCharsets.UTF_8)) {
            bundle.load(reader);
        }
        TreeSet<String> shipped = new TreeSet<>();
        for (String key : bundle.stringPropertyNames()) {
            if (key.startsWith("clip.")) {
                shipped.add(key.substring("clip.".length()));
            }
        }
        assertThat(shipped).isNotEmpty();
        assertThat(AnnouncementClips.NAMES).containsExactlyElementsOf(shipped);
        assertThat(AnnouncementClips.isKnown("test")).isTrue();
        assertThat(AnnouncementClips.isKnown("fanfare")).isFalse();
        assertThat(AnnouncementClips.isKnown(null)).isFalse();
    }
}
