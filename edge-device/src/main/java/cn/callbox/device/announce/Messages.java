package cn.callbox.device.announce;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;

import cn.callbox.protocol.CallState;

/**
 * The box's spoken texts from the {@code cn.callbox.device.announce.messages} bundle: zh-CN is the base bundle, English
 * ({@code _en}) the second language. Clips are named texts ({@code clip.<name>} keys) that the hub can play by name.
 */
public final class Messages {

    static final String BUNDLE = "cn.callbox.device.announce.messages";

    private final ResourceBundle bundle;
    private final String place;

    /** @param place the box's place name, inserted where a text says {0} */
    public Messages(Locale locale, String place) {
        // no fallback to the JVM's default locale: a Pi set to en_GB must still speak Chinese to villagers
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        this.place = place;
    }

    /** The zh-CN messages. */
    public static Messages chinese(String place) {
        return new Messages(Locale.SIMPLIFIED_CHINESE, place);
    }

    /** What the box says when its call status becomes {@code state}; empty for {@code idle}. */
    public Optional<String> forCallState(CallState state) {
        return text("call." + state.wireName());
    }

    /**
     * What the audible self-test says before the siren sounds its test pattern. Not a clip: the hub cannot play it on
     * its own, so it is never heard without the test it announces.
     */
    public Optional<String> audibleTestAnnouncement() {
        return text("selftest.audible");
    }

    /** The text of a shipped clip, or empty for an unknown clip name. */
    public Optional<String> clip(String name) {
        if (name == null || !name.matches("[a-z0-9-]{1,40}")) {
            return Optional.empty();
        }
        return text("clip." + name);
    }

    private Optional<String> text(String key) {
        try {
            return Optional.of(MessageFormat.format(bundle.getString(key), place));
        } catch (MissingResourceException e) {
            return Optional.empty();
        }
    }
}
