package cn.callbox.hub.registry;

import java.util.Optional;

/** Looks up call boxes' DTLS keys, stored in the registry (used by the LwM2M server's security store). */
public interface CallBoxKeys {

    Optional<CallBoxKey> byEndpoint(String endpoint);

    Optional<CallBoxKey> byPskIdentity(String pskIdentity);
}
