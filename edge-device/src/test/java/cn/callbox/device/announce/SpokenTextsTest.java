package cn.callbox.device.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every text a box can say is read by the box's own espeak-ng call ({@link EspeakLoudspeaker#commandLine}, with
 * {@code -q -x}: phonemes instead of sound) and must stay Mandarin: espeak-ng marks a switch to another language's
 * phonemes as {@code (en)}, which a villager hears as English spelling of pinyin ("hou four shan one"). The texts: the
 * box's own bundle (call status speech and clips) and the hub's loudspeaker announcements ({@code announce.*} of
 * {@code hub/src/main/resources/announcements.properties}; its {@code alert.*} texts go to phones, not to a
 * loudspeaker). Placeholders become a Chinese place name.
 * <p>
 * Needs espeak-ng ({@code apt-get install espeak-ng}; {@code ./run-tests} installs it).
 */
class SpokenTextsTest {

    private static final String ESPEAK = "espeak-ng";
    private static final Path HUB_ANNOUNCEMENTS = Path.of("..", "hub", "src", "main", "resources",
            "announcements.properties");
    /** A language switch in espeak-ng's phoneme output, e.g. {@code (en)}, and back, {@code (cmn)}. */
    private static final Pattern SWITCH = Pattern.compile("\\([a-z]{2,3}(-[a-z0-9]+)*\\)");
    private static final Object[] PLACES = {"后山", "后山村", "事件"};

    @Test
    void every_text_the_box_can_say_is_read_as_mandarin() throws Exception {
        Map<String, String> texts = new TreeMap<>();
        try (InputStream box = SpokenTextsTest.class.getResourceAsStream("/" + Messages.BUNDLE.replace('.', '/')
                + ".properties")) {
            assertTrue(box != null, "the box's message bundle is on the class path");
            Properties bundle = load(box);
            bundle.stringPropertyNames().forEach(key -> texts.put("box " + key, bundle.getProperty(key)));
        }
        try (InputStream hub = Files.newInputStream(HUB_ANNOUNCEMENTS)) {
            Properties announcements = load(hub);
            announcements.stringPropertyNames().stream().filter(key -> key.startsWith("announce."))
                    .forEach(key -> texts.put("hub " + key, announcements.getProperty(key)));
        }
        assertTrue(texts.keySet().stream().filter(k -> k.startsWith("box ")).count() >= 8, texts.keySet()::toString);
        assertTrue(texts.containsKey("hub announce.alarm") && texts.containsKey("hub announce.drill"),
                texts.keySet()::toString);

        List<String> switched = new ArrayList<>();
        for (Map.Entry<String, String> text : texts.entrySet()) {
            String said = new MessageFormat(text.getValue(), Locale.SIMPLIFIED_CHINESE).format(PLACES);
            String phonemes = phonemes(said);
            Matcher language = SWITCH.matcher(phonemes);
            if (language.find()) {
                switched.add(text.getKey() + " \"" + said + "\" switches to " + language.group() + ": "
                        + phonemes.strip());
            }
        }
        assertEquals(List.of(), switched, "texts espeak-ng does not read as Mandarin");
    }

    @Test
    void the_check_sees_a_language_switch() throws Exception {
        // Latin letters are read with English phonemes even by the pinyin voice; a check that passed this is blind
        assertTrue(SWITCH.matcher(phonemes("事件 INC-7")).find());
        assertFalse(SWITCH.matcher(phonemes("后山发生紧急情况，请拨打110。")).find(), "digits are read in Mandarin");
    }

    private static Properties load(InputStream in) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** The phonemes espeak-ng would speak for {@code text}, by the box's own command line. */
    private static String phonemes(String text) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(EspeakLoudspeaker.commandLine(ESPEAK, 80, text));
        command.addAll(command.indexOf("--"), List.of("-q", "-x"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("espeak-ng is needed for this test and is not installed (" + e.getMessage()
                    + "): apt-get install espeak-ng, or run ./run-tests, which installs it");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "espeak-ng did not finish");
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed: " + output);
        assertFalse(output.isBlank(), () -> "no phonemes for " + text);
        return output;
    }
}
