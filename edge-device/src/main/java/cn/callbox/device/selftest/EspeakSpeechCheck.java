package cn.callbox.device.selftest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cn.callbox.device.announce.EspeakLoudspeaker;

/**
 * The real speech chain, checked silently: {@code espeak-ng -v VOICE -w FILE TEXT} must exit 0 and write a WAV file
 * long enough to hold speech (not to the speaker: nobody hears it), and {@code aplay -l} must list a sound card (the
 * USB sound card that feeds the amplifier; espeak-ng plays on ALSA's default device). The amplifier itself is measured
 * by its current, not here.
 */
public final class EspeakSpeechCheck implements SpeechCheck {

    /**
     * The smallest WAV that holds speech: the 44-byte header plus 0.2 s of espeak-ng's 22 050 Hz 16-bit mono output
     * (8 820 bytes). Any text of a few syllables renders to ten times that; a header alone means nothing was spoken.
     */
    static final long MIN_WAV_BYTES = 44 + 22_050 * 2 / 5;

    /** The voice the box's loudspeaker speaks with: the check renders what the box would say. */
    public static final String VOICE = EspeakLoudspeaker.VOICE;

    /** How long one program may run: espeak-ng renders a short sentence in well under a second on a Pi 4. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String espeak;
    private final String voice;
    private final String aplay;
    private final String text;

    /**
     * @param espeak the espeak-ng executable
     * @param voice the voice the loudspeaker speaks with
     * @param aplay the aplay executable (alsa-utils), or null on a box whose audio needs no ALSA card
     * @param text what to render, e.g. the test clip's text
     */
    public EspeakSpeechCheck(String espeak, String voice, String aplay, String text) {
        this.espeak = Objects.requireNonNull(espeak, "espeak");
        this.voice = Objects.requireNonNull(voice, "voice");
        this.aplay = aplay;
        this.text = Objects.requireNonNull(text, "text");
    }

    @Override
    public Optional<String> problem() {
        Path wav = null;
        try {
            wav = Files.createTempFile("callbox-selftest-", ".wav");
            Run synth = run(List.of(espeak, "-v", voice, "-w", wav.toString(), text));
            if (synth.exit() != 0) {
                return Optional.of(espeak + " exited with status " + synth.exit() + ": " + brief(synth.output()));
            }
            long length = Files.size(wav);
            if (length < MIN_WAV_BYTES) {
                return Optional.of(espeak + " wrote only " + length + " bytes of speech");
            }
            if (aplay != null) {
                Run cards = run(List.of(aplay, "-l"));
                // aplay -l exits 0 even with no card; the card lines are what tells
                if (cards.exit() != 0 || cards.output().lines().noneMatch(line -> line.startsWith("card "))) {
                    return Optional.of("no sound card: " + aplay + " -l says " + brief(cards.output()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run the speech chain: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private static Run run(List<String> command) throws IOException, InterruptedException {
        // output to a file, not a pipe: a program that hangs cannot block the reader, only run into the timeout
        Path log = Files.createTempFile("callbox-selftest-", ".log");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Run(-1, "timed out after " + TIMEOUT.toSeconds() + " s");
            }
            String output;
            try (InputStream in = Files.newInputStream(log)) {
                output = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
            }
            return new Run(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String brief(String output) {
        String line = output.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private record Run(int exit, String output) {
    }
}
