package cn.callbox.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Enums of the wire contract carry a lower-case, hyphenated wire name; this finds a constant by it. */
public interface WireName {

    String wireName();

    /** The constant whose wire name is {@code name}, ignoring case; empty for anything else, null included. */
    static <E extends Enum<E> & WireName> Optional<E> parse(Class<E> type, String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants()).filter(e -> e.wireName().equals(wanted)).findFirst();
    }

    /** Wire name of an enum constant: its name in lower case with {@code _} as {@code -}. */
    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
