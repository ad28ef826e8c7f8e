package cn.callbox.hub.mqtt;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The embedded broker's credential for the hub's own client: generated at every start, kept in memory only, never
 * logged. The username carries a random suffix so that no registry account can be named like it.
 */
final class HubCredential {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final byte[] password;

    private HubCredential(String username, byte[] password) {
        this.username = username;
        this.password = password;
    }

    /** A fresh credential: {@code callbox-hub-<16 hex>} and 32 random bytes. */
    static HubCredential generate() {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        byte[] password = new byte[32];
        RANDOM.nextBytes(password);
        return new HubCredential("callbox-hub-" + HexFormat.of().formatHex(suffix), password);
    }

    String username() {
        return username;
    }

    /** A copy of the password bytes. */
    byte[] password() {
        return password.clone();
    }

    /** Constant-time check of a presented username and password; nulls never match. */
    boolean matches(String presentedUser, byte[] presentedPassword) {
        return username.equals(presentedUser) && presentedPassword != null
                && MessageDigest.isEqual(password, presentedPassword);
    }

    @Override
    public String toString() {
        return "HubCredential[" + username + ", password hidden]";
    }
}
