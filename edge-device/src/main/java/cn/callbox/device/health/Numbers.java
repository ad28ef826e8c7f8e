package cn.callbox.device.health;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the first number in a tool's output. */
final class Numbers {

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(?:\\.\\d+)?");

    private Numbers() {
    }

    /** The first number in {@code text}, rounded to a whole number; empty when there is none. */
    static OptionalInt firstWholeNumber(String text) {
        if (text == null) {
            return OptionalInt.empty();
        }
        Matcher matcher = NUMBER.matcher(text);
        if (!matcher.find()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of((int) Math.round(Double.parseDouble(matcher.group())));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
