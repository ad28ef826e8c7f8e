package cn.callbox.hub.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The console page's texts: every key starting with {@code ui.} in the {@code messages} bundle and in the features'
 * bundles {@code i18n/console-<feature>.properties} (each feature owns its file), for zh-CN (the base files) or
 * English ({@code _en}), English falling back to zh-CN key by key. The item kinds' names ({@code item.<kind>} in
 * {@code messages}, also used by the hub's own texts) come along as {@code ui.item.<kind>}, so they are written once.
 * Bundles are read once per language.
 */
final class ConsoleTexts {

    private static final String PREFIX = "ui.";
    private static final String ITEM_PREFIX = "item.";

    private final ConcurrentMap<String, Map<String, String>> byLanguage = new ConcurrentHashMap<>();

    /** @return key → text, sorted by key */
    Map<String, String> texts(Locale locale) {
        String language = ConsoleLocales.isEnglish(locale) ? "en" : "zh";
        return byLanguage.computeIfAbsent(language, l -> load("en".equals(l)));
    }

    private static Map<String, String> load(boolean english) {
        Map<String, String> texts = new TreeMap<>();
        for (String baseName : baseNames()) {
            ResourceBundle.Control control = ResourceBundle.Control.getNoFallbackControl(
                    ResourceBundle.Control.FORMAT_PROPERTIES);
            ResourceBundle base = ResourceBundle.getBundle(baseName, Locale.ROOT, control);
            copy(base, texts);
            if (english) {
                try {
                    copy(ResourceBundle.getBundle(baseName, Locale.ENGLISH, control), texts);
                } catch (MissingResourceException e) {
                    // no English file yet: the zh-CN texts stand
                }
            }
        }
        return Map.copyOf(texts);
    }

    private static void copy(ResourceBundle bundle, Map<String, String> into) {
        for (String key : bundle.keySet()) {
            if (key.startsWith(PREFIX)) {
                into.put(key, bundle.getString(key));
            } else if (key.startsWith(ITEM_PREFIX)) {
                into.put(PREFIX + key, bundle.getString(key));
            }
        }
    }

    private static List<String> baseNames() {
        List<String> names = new ArrayList<>();
        names.add("messages");
        try {
            for (Resource r : new PathMatchingResourcePatternResolver().getResources(
                    "classpath*:i18n/console-*.properties")) {
                String file = r.getFilename();
                if (file != null && !file.matches(".*_[a-z]{2}(_[A-Z]{2})?\\.properties")) {
                    names.add("i18n/" + file.substring(0, file.length() - ".properties".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the console's text bundles", e);
        }
        names.sort(null);
        return names;
    }
}
