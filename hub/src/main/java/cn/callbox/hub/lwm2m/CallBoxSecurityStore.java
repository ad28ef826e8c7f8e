package cn.callbox.hub.lwm2m;

import java.util.Objects;

import org.eclipse.leshan.core.peer.OscoreIdentity;
import org.eclipse.leshan.servers.security.SecurityInfo;
import org.eclipse.leshan.servers.security.SecurityStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.callbox.hub.registry.CallBoxKey;
import cn.callbox.hub.registry.CallBoxKeys;

/**
 * Leshan's view of the registry's DTLS keys: every box the registry knows has a pre-shared key, nothing else is
 * known. Read-only: keys are added and removed through the registry. Called on DTLS handshake threads and on
 * registration; as thread-safe as {@link CallBoxKeys}.
 */
final class CallBoxSecurityStore implements SecurityStore {

    private static final Logger LOG = LoggerFactory.getLogger(CallBoxSecurityStore.class);
    private static final int MAX_LOGGED_IDENTITY = 64;

    private final CallBoxKeys keys;

    CallBoxSecurityStore(CallBoxKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** @return the box's PSK info; null for an endpoint the registry does not know */
    @Override
    public SecurityInfo getByEndpoint(String endpoint) {
        if (endpoint == null) {
            return null;
        }
        return keys.byEndpoint(endpoint).map(CallBoxSecurityStore::toInfo).orElse(null);
    }

    /**
     * Called by the DTLS handshake (Leshan's PSK store). An unknown identity fails the handshake; it is logged here
     * because Scandium only logs it at debug level. A known identity with a wrong key fails later in the handshake
     * (bad Finished MAC) and never reaches the LwM2M layer.
     *
     * @return the PSK info of the box that uses this identity; null for an unknown identity
     */
    @Override
    public SecurityInfo getByIdentity(String pskIdentity) {
        if (pskIdentity == null) {
            return null;
        }
        SecurityInfo info = keys.byPskIdentity(pskIdentity).map(CallBoxSecurityStore::toInfo).orElse(null);
        if (info == null) {
            LOG.warn("Refused DTLS handshake: unknown PSK identity '{}'", printable(pskIdentity));
        }
        return info;
    }

    /** Identities come from the network: keep log lines short and on one line. */
    private static String printable(String identity) {
        String cut = identity.length() > MAX_LOGGED_IDENTITY ? identity.substring(0, MAX_LOGGED_IDENTITY) + "..."
                : identity;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Call boxes do not use OSCORE. */
    @Override
    public SecurityInfo getByOscoreIdentity(OscoreIdentity oscoreIdentity) {
        return null;
    }

    private static SecurityInfo toInfo(CallBoxKey key) {
        return SecurityInfo.newPreSharedKeyInfo(key.endpoint(), key.pskIdentity(), key.pskKey());
    }
}
