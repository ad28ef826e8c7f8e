package cn.callbox.device.announce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cn.callbox.protocol.CallState;

class MessagesTest {

    @Test
    void chinese_first_with_the_place_name_whatever_the_jvm_locale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.UK);
            Messages messages = Messages.chinese("后山村集市");
            assertTrue(messages.forCallState(CallState.SENDING).orElseThrow().startsWith("正在呼叫，请稍候"));
            assertTrue(messages.forCallState(CallState.SENDING).orElseThrow().contains("后山村集市"));
            assertEquals(Optional.of("已收到呼叫，救援人员正在赶来。"), messages.forCallState(CallState.RECEIVED));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void english_is_the_second_language_and_idle_says_nothing() {
        Messages english = new Messages(Locale.ENGLISH, "Houshan market");
        assertTrue(english.forCallState(CallState.RECEIVED).orElseThrow().contains("Help is on the way"));
        assertEquals(Optional.empty(), english.forCallState(CallState.IDLE));
    }

    @Test
    void clips_are_named_texts_and_unknown_names_are_empty() {
        Messages messages = Messages.chinese("x");
        assertTrue(messages.clip("calling").isPresent());
        assertEquals(Optional.empty(), messages.clip("nope"));
        assertEquals(Optional.empty(), messages.clip("../etc"));
    }

    @Test
    void the_audible_test_announces_itself_in_both_languages_and_is_no_clip_the_hub_could_play() {
        assertTrue(Messages.chinese("x").audibleTestAnnouncement().orElseThrow().startsWith("这是测试"));
        assertTrue(new Messages(Locale.ENGLISH, "x").audibleTestAnnouncement().orElseThrow().startsWith("This is a test"));
        assertEquals(Optional.empty(), Messages.chinese("x").clip("audible"));
    }
}
