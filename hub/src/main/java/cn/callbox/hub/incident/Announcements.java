package cn.callbox.hub.incident;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;

import cn.callbox.protocol.AlertRole;

/**
 * Loudspeaker and alert texts from the {@code announcements} bundle: zh-CN is the base bundle, English the
 * {@code _en} one. The JVM's default locale is never consulted, so a hub on an English machine still speaks zh-CN.
 * Immutable and thread-safe.
 */
final class Announcements {

    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(List.of("java.properties"));

    private final ResourceBundle bundle;
    private final Locale locale;

    Announcements(Locale locale) {
        this.locale = Objects.requireNonNull(locale, "locale");
        this.bundle = ResourceBundle.getBundle("announcements", locale, NO_FALLBACK);
    }

    /** zh-CN texts, as said in the villages. */
    static Announcements zhCn() {
        return new Announcements(Locale.SIMPLIFIED_CHINESE);
    }

    /** What the alerted units' boxes say: names the place of the alarm. */
    String alarm(String place) {
        return format("announce.alarm", place, "", "");
    }

    /** The {@code message} of a unit's MQTT alert. */
    String alert(AlertRole role, String place, String village, String incidentId) {
        String key = role == AlertRole.PRIMARY ? "alert.primary" : "alert.support";
        return format(key, place, village, incidentId);
    }

    /** What the drilled unit's boxes say: names where the unit musters. */
    String drill(String place) {
        return format("announce.drill", place, "", "");
    }

    /** The {@code message} of a drill's MQTT alert. */
    String drillAlert(String place, String village, String incidentId) {
        return format("alert.drill", place, village, incidentId);
    }

    private String format(String key, Object... args) {
        return new MessageFormat(bundle.getString(key), locale).format(args);
    }
}
