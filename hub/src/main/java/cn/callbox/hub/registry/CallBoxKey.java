package cn.callbox.hub.registry;

import java.util.Arrays;
import java.util.Objects;

/**
 * A call box's DTLS identity.
 *
 * @param endpoint LwM2M endpoint name
 * @param pskIdentity PSK identity the box presents in the handshake
 * @param pskKey the pre-shared key (16 bytes or more); never in {@link #toString()}
 */
public record CallBoxKey(String endpoint, String pskIdentity, byte[] pskKey) {

    @Override
    public boolean equals(Object other) {
        return other instanceof CallBoxKey key && Objects.equals(endpoint, key.endpoint)
                && Objects.equals(pskIdentity, key.pskIdentity) && Arrays.equals(pskKey, key.pskKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, pskIdentity, Arrays.hashCode(pskKey));
    }

    /** Without the key. */
    @Override
    public String toString() {
        return "CallBoxKey[endpoint=" + endpoint + ", pskIdentity=" + pskIdentity + ", pskKey=(hidden)]";
    }
}
