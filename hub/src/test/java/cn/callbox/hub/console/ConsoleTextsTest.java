package cn.callbox.hub.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Every text of the console exists in zh-CN and in English: a feature cannot ship a page half translated. */
class ConsoleTextsTest {

    private final ConsoleTexts texts = new ConsoleTexts();

    @Test
    void chinese_and_english_have_the_same_keys_and_differ() {
        Map<String, String> zh = texts.texts(Locale.SIMPLIFIED_CHINESE);
        Map<String, String> en = texts.texts(Locale.ENGLISH);
        assertThat(zh).containsKeys("ui.map.title", "ui.incidents.title", "ui.banner.incident");
        assertThat(en.keySet()).as("English texts").containsExactlyInAnyOrderElementsOf(zh.keySet());
        assertThat(zh.get("ui.map.title")).isEqualTo("一图展示");
        assertThat(en.get("ui.map.title")).isEqualTo("Map");
    }

    @Test
    void english_keys_come_from_english_files_not_from_the_chinese_fallback() {
        Map<String, String> zh = texts.texts(Locale.SIMPLIFIED_CHINESE);
        Map<String, String> en = texts.texts(Locale.ENGLISH);
        assertThat(en.entrySet()).filteredOn(e -> e.getValue().equals(zh.get(e.getKey()))
                && e.getValue().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
                .as("English texts still in Chinese").isEmpty();
    }
}
