package cn.callbox.hub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The hub's {@code callbox.data-dir} for a test context: a fresh temporary directory, left for the OS to clean. */
public final class TestDataDir {

    private TestDataDir() {
    }

    /** Creates a temporary directory named {@code <prefix>...} and registers it as {@code callbox.data-dir}. */
    public static void register(DynamicPropertyRegistry registry, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        registry.add("callbox.data-dir", dir::toString);
    }
}
