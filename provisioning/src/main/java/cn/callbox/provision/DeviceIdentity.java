package cn.callbox.provision;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A box's endpoint id and DTLS pre-shared key. The PSK identity is the endpoint id. Ids are valid MQTT topic levels
 * the hub accepts: {@code [a-z0-9][a-z0-9-]{0,63}}.
 */
final class DeviceIdentity {

    static final Pattern ENDPOINT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final String PREFIX = "cb-";
    static final int KEY_BYTES = 16;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final int RANDOM_CHARS = 8;

    private DeviceIdentity() {
    }

    /** {@code cb-} and 8 lower-case base32 characters (40 random bits). */
    static String newEndpoint(SecureRandom random) {
        StringBuilder id = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            id.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return id.toString();
    }

    /** A new 16-byte key in lower-case hex. */
    static String newKeyHex(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    static String checkEndpoint(String endpoint) {
        if (endpoint == null || !ENDPOINT.matcher(endpoint).matches()) {
            throw CliException.usage("endpoint '" + endpoint + "' is not valid: lower-case letters, digits and '-',"
                    + " starting with a letter or digit, at most 64 characters");
        }
        return endpoint;
    }
}
