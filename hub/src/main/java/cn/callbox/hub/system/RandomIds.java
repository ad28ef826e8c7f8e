package cn.callbox.hub.system;

import java.util.Random;

/**
 * The random part of the ids people read out over the phone (incidents, drills): Crockford's base32, upper case,
 * without I, L, O and U, so that no two characters are easily confused.
 */
public final class RandomIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RandomIds() {
    }

    /** {@code length} characters drawn from {@code random} (a SecureRandom in production). */
    public static String base32(Random random, int length) {
        StringBuilder chars = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            chars.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return chars.toString();
    }
}
