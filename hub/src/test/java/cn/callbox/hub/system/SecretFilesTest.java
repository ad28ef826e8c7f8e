package cn.callbox.hub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path dir;

    @Test
    void a_secret_is_created_with_mode_600_in_new_folders_with_mode_700() throws IOException {
        Path file = dir.resolve("secrets/deeper/initial-admin-password");

        SecretFiles.createOnce(file, "s3cret\n");

        assertThat(Files.readString(file)).isEqualTo("s3cret\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(namesIn(file.getParent())).containsExactly("initial-admin-password");
    }

    @Test
    void a_secret_written_once_is_never_overwritten_and_nothing_is_left_behind() throws IOException {
        Path file = dir.resolve("master-key");
        SecretFiles.createOnce(file, "first\n");

        assertThatThrownBy(() -> SecretFiles.createOnce(file, "second\n"))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(Files.readString(file)).isEqualTo("first\n");
        assertThat(namesIn(dir)).containsExactly("master-key");
    }

    @Test
    void a_dangling_link_at_the_name_is_not_followed_or_replaced() throws IOException {
        Path file = dir.resolve("initial-admin-password");
        Path elsewhere = dir.resolve("elsewhere");
        Files.createSymbolicLink(file, elsewhere);

        assertThatThrownBy(() -> SecretFiles.createOnce(file, "s3cret\n"))
                .isInstanceOf(FileAlreadyExistsException.class);

        assertThat(elsewhere).doesNotExist();
    }

    /**
     * An installer's script (or a test) polls for the initial admin password and reads it as soon as the name exists:
     * it must never read an empty or partial file.
     */
    @Test
    void a_reader_polling_for_the_file_never_sees_it_partly_written() throws Exception {
        String secret = "x".repeat(64) + "\n";
        List<String> seen = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Path folder = Files.createDirectory(dir.resolve("polled"));
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                for (int i = 0; i < 100; i++) {
                    Path file = folder.resolve("secret-" + i);
                    try {
                        String text = Files.readString(file, StandardCharsets.UTF_8);
                        if (!text.equals(secret)) {
                            seen.add(file.getFileName() + ": '" + text + "'");
                        }
                    } catch (NoSuchFileException notYet) {
                        // not created yet
                    } catch (IOException e) {
                        seen.add(file.getFileName() + ": " + e);
                    }
                }
            }
        });
        reader.start();
        try {
            for (int i = 0; i < 100; i++) {
                SecretFiles.createOnce(folder.resolve("secret-" + i), secret);
            }
        } finally {
            done.set(true);
            reader.join();
        }

        assertThat(seen).isEmpty();
        assertThat(namesIn(folder)).hasSize(100).allMatch(name -> name.startsWith("secret-"));
    }

    private static List<String> namesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
