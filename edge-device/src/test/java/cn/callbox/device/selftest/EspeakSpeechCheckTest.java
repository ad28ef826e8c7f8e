package cn.callbox.device.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The silent speech-chain check against small scripts standing in for espeak-ng and aplay, and the real espeak-ng. */
class EspeakSpeechCheckTest {

    @TempDir
    Path folder;

    /** An executable shell script. */
    private String script(String name, String body) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        assertTrue(file.toFile().setExecutable(true));
        return file.toString();
    }

    /** espeak-ng that writes {@code bytes} bytes to the file after -w and exits with {@code status}. */
    private String espeak(long bytes, int status) throws IOException {
        return script("espeak-ng", "while [ \"$1\" != \"-w\" ]; do shift; done\n"
                + "head -c " + bytes + " /dev/zero > \"$2\"\nexit " + status);
    }

    private String aplayWithCard() throws IOException {
        return script("aplay", "echo '**** List of PLAYBACK Hardware Devices ****'\n"
                + "echo 'card 1: Device [USB Audio Device], device 0: USB Audio [USB Audio]'");
    }

    @Test
    void a_rendered_sentence_and_a_sound_card_pass() throws IOException {
        assertEquals(Optional.empty(), new EspeakSpeechCheck(espeak(40_000, 0), "cmn", aplayWithCard(), "测试").problem());
    }

    @Test
    void a_failing_synthesiser_fails_with_its_status() throws IOException {
        Optional<String> problem = new EspeakSpeechCheck(espeak(40_000, 1), "cmn", aplayWithCard(), "测试").problem();

        assertTrue(problem.orElseThrow().contains("status 1"), problem.toString());
    }

    @Test
    void a_wav_file_without_speech_fails() throws IOException {
        Optional<String> problem = new EspeakSpeechCheck(espeak(44, 0), "cmn", aplayWithCard(), "测试").problem();

        assertTrue(problem.orElseThrow().contains("44 bytes"), problem.toString());
    }

    @Test
    void no_sound_card_or_no_aplay_fails() throws IOException {
        String noCard = script("aplay-nocard", "echo 'aplay: device_list:274: no soundcards found...'");
        Optional<String> problem = new EspeakSpeechCheck(espeak(40_000, 0), "cmn", noCard, "测试").problem();
        assertTrue(problem.orElseThrow().contains("no sound card"), problem.toString());

        Optional<String> missing = new EspeakSpeechCheck(espeak(40_000, 0), "cmn", folder.resolve("none").toString(),
                "测试").problem();
        assertTrue(missing.isPresent());
    }

    @Test
    void a_missing_espeak_fails_and_leaves_no_file_behind() throws IOException {
        long before;
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = files.filter(f -> f.getFileName().toString().startsWith("callbox-selftest-")).count();
        }

        Optional<String> problem = new EspeakSpeechCheck(folder.resolve("no-espeak").toString(), "cmn", null, "测试")
                .problem();

        assertTrue(problem.orElseThrow().contains("cannot run"), problem.toString());
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(before,
                    files.filter(f -> f.getFileName().toString().startsWith("callbox-selftest-")).count());
        }
    }

    @Test
    void the_real_espeak_renders_the_test_clip_to_a_file() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/espeak-ng")), "espeak-ng installed");

        assertEquals(Optional.empty(), new EspeakSpeechCheck("/usr/bin/espeak-ng", EspeakSpeechCheck.VOICE, null,
                "喇叭测试，请勿惊慌。").problem());
    }
}
