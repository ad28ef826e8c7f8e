package cn.callbox.provision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands run against a {@link FakeHub}, with an admin password file whose line has blanks around it (the command
 * line must strip them).
 */
abstract class AgainstFakeHub {

    @TempDir
    Path dir;

    FakeHub hub;
    Path password;

    @BeforeEach
    void startHub() throws IOException {
        hub = new FakeHub();
        password = dir.resolve("admin-password");
        Files.writeString(password, "  s3cret-pw \n");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }
}
