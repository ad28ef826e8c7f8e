package cn.callbox.device.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.callbox.protocol.SoundPriority;

class EspeakLoudspeakerTest {

    @TempDir
    Path dir;

    @Test
    void a_missing_speech_program_is_survived_and_the_text_remembered() throws Exception {
        try (EspeakLoudspeaker loudspeaker = new EspeakLoudspeaker("/nonexistent/espeak-ng")) {
            CountDownLatch changes = new CountDownLatch(2); // playing, then done
            loudspeaker.onChange(changes::countDown);

            loudspeaker.announce("正在呼叫，请稍候。", 2);

            assertEquals(true, changes.await(5, TimeUnit.SECONDS), "playing started and ended");
            assertFalse(loudspeaker.isPlaying());
            assertEquals("正在呼叫，请稍候。", loudspeaker.lastText());
            loudspeaker.announce("再来一次", 1); // a second failure is not logged again and does not throw
        }
    }

    @Test
    void speaks_mandarin_with_the_pinyin_voice_and_a_text_is_never_read_as_an_option() {
        List<String> line = EspeakLoudspeaker.commandLine("espeak-ng", 80, "-后山");

        assertEquals(List.of("espeak-ng", "-v", "cmn-latn-pinyin", "-a", "160", "--", "-后山"), line);
    }

    @Test
    void an_ordinary_announcement_does_not_cut_into_a_playing_alarm_announcement() throws Exception {
        Path args = dir.resolve("args");
        // a speech program that records its arguments and "speaks" until it is stopped
        Path fake = dir.resolve("espeak-ng");
        Files.writeString(fake, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + ".tmp && mv " + args + ".tmp " + args
                + "\nexec sleep 30\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        try (EspeakLoudspeaker loudspeaker = new EspeakLoudspeaker(fake.toString())) {
            CountDownLatch playing = new CountDownLatch(1);
            loudspeaker.onChange(() -> {
                if (loudspeaker.isPlaying()) {
                    playing.countDown();
                }
            });

            assertTrue(loudspeaker.announce("正在呼叫，请稍候。", 1, SoundPriority.ALARM));
            assertTrue(playing.await(5, TimeUnit.SECONDS));
            assertEquals("正在呼叫，请稍候。", spokenText(args));

            assertFalse(loudspeaker.announce("赶集的乡亲们请注意。", 1, SoundPriority.ROUTINE));
            assertFalse(loudspeaker.announce("拉动测试！", 1, SoundPriority.DRILL));
            assertEquals("正在呼叫，请稍候。", loudspeaker.lastText());
            assertTrue(loudspeaker.isPlaying());

            loudspeaker.stop();
            assertTrue(loudspeaker.announce("赶集的乡亲们请注意。", 1, SoundPriority.ROUTINE),
                    "after an explicit stop the loudspeaker is free");
        }
    }

    /** The last argument the fake speech program was started with, once it has written them. */
    private static String spokenText(Path args) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(args) && System.nanoTime() < deadline) {
            Thread.sleep(10); // a real process writes the file: there is no clock to move
        }
        List<String> lines = Files.readAllLines(args, StandardCharsets.UTF_8);
        return lines.get(lines.size() - 1);
    }
}
