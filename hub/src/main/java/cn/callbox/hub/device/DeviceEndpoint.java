package cn.callbox.hub.device;

import java.net.URI;
import java.util.Optional;

/** Where call boxes reach the hub's LwM2M server, once it has started (ports may be chosen at start). */
public interface DeviceEndpoint {

    /** {@code coaps://host:port} of the DTLS endpoint. */
    URI secureUri();

    /** {@code coap://host:port} of the plain development endpoint, when enabled. */
    Optional<URI> plainUri();
}
