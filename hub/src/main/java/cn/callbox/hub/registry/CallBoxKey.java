package cn.callbox.hub.registry;

/**
 * A call box's DTLS identity.
 *
 * @param endpoint LwM2M endpoint name
 * @param pskIdentity PSK identity the box presents in the handshake
 * @param pskKey the pre-shared key (16 bytes or more)
 */
public record CallBoxKey(String endpoint, String pskIdentity, byte[] pskKey) {
}
