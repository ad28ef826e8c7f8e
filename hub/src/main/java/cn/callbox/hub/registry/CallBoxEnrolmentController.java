package cn.callbox.hub.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.firmware.FirmwareProperties;
import cn.callbox.hub.registry.CallBoxEnrolment.Enrolled;
import cn.callbox.hub.registry.CallBoxEnrolment.Enrolment;
import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import cn.callbox.hub.system.HubProperties;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Enrolment, key rotation and retirement of call boxes, admin only (the API's security):
 * <ul>
 * <li>{@code POST /api/callboxes} {@code {"endpoint","village","point","lat","lon","unit"?,"pskIdentity","pskKey"}}
 * → 201 {@code {"endpoint","village","villageId","point","pointId","unit","lat","lon","hubUri","firmwareKeys"}};</li>
 * <li>{@code PUT /api/callboxes/{endpoint}/key} {@code {"pskIdentity","pskKey"}} → 200
 * {@code {"endpoint","pskIdentity"}};</li>
 * <li>{@code DELETE /api/callboxes/{endpoint}} → 204.</li>
 * </ul>
 * {@code hubUri} is {@code callbox.lwm2m.public-uri} when set, else {@code coaps://<host of the request's Host
 * header>:<the DTLS port the LwM2M server is bound to>}. {@code firmwareKeys} are the Ed25519 public keys (base64)
 * the hub trusts for firmware ({@code callbox.firmware.trusted-keys}; may be empty), for the box's
 * {@code firmware.trusted-keys}. Errors are problem details ({@link EnrolmentProblems}): 400
 * malformed body, 404 {@code callbox-not-found}, 409 {@code callbox-taken}, 422 {@code registry-rule} naming the rule.
 * Audited as {@code callbox-enrol}, {@code callbox-rotate-key} and {@code callbox-retire}; keys are never audited,
 * logged or answered.
 */
@RestController
@RequestMapping("/api/callboxes")
class CallBoxEnrolmentController {

    private final CallBoxEnrolment enrolment;
    private final AuditTrail audit;
    private final ObjectProvider<DeviceEndpoint> lwm2m;
    private final HubProperties properties;
    private final ObjectProvider<FirmwareProperties> firmware;

    CallBoxEnrolmentController(CallBoxEnrolment enrolment, AuditTrail audit, ObjectProvider<DeviceEndpoint> lwm2m,
            HubProperties properties, ObjectProvider<FirmwareProperties> firmware) {
        this.enrolment = enrolment;
        this.audit = audit;
        this.lwm2m = lwm2m;
        this.properties = properties;
        this.firmware = firmware;
    }

    /** @param firmwareKeys base64 Ed25519 public keys, possibly none */
    record EnrolmentView(String endpoint, String village, String villageId, String point, String pointId, String unit,
            double lat, double lon, String hubUri, List<String> firmwareKeys) {
    }

    /** @param pskKey hex */
    record KeyChange(String pskIdentity, String pskKey) {

        /** Without the key. */
        @Override
        public String toString() {
            return "KeyChange[pskIdentity=" + pskIdentity + ", pskKey=(hidden)]";
        }
    }

    record KeyView(String endpoint, String pskIdentity) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EnrolmentView enrol(@RequestBody Enrolment body, HttpServletRequest request, Authentication authentication) {
        Enrolled box = enrolment.enrol(body);
        audit.record(Caller.of(authentication).username(), "callbox-enrol", box.endpoint(), "village " + box.village()
                + " (" + box.villageId() + (box.villageCreated() ? ", new" : "") + "), point " + box.point() + " ("
                + box.pointId() + (box.pointCreated() ? ", new" : "") + "), unit " + box.unit() + ", " + box.lat()
                + ", " + box.lon() + ", identity " + body.pskIdentity());
        return new EnrolmentView(box.endpoint(), box.village(), box.villageId(), box.point(), box.pointId(), box.unit(),
                box.lat(), box.lon(), hubUri(request), firmware.getIfAvailable(FirmwareProperties::defaults)
                        .trustedKeys().stream().map(String::strip).toList());
    }

    @PutMapping("/{endpoint}/key")
    KeyView rotateKey(@PathVariable String endpoint, @RequestBody KeyChange body, Authentication authentication) {
        enrolment.rotateKey(endpoint, body.pskIdentity(), body.pskKey());
        audit.record(Caller.of(authentication).username(), "callbox-rotate-key", endpoint,
                "identity " + body.pskIdentity() + "; the old key's sessions were ended");
        return new KeyView(endpoint, body.pskIdentity());
    }

    @DeleteMapping("/{endpoint}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void retire(@PathVariable String endpoint, Authentication authentication) {
        enrolment.retire(endpoint);
        audit.record(Caller.of(authentication).username(), "callbox-retire", endpoint,
                "retired; its key is refused from now on");
    }

    /** Where the box dials the hub: the configured public URI, else the request's host and the bound DTLS port. */
    String hubUri(HttpServletRequest request) {
        String configured = properties.lwm2m().publicUri();
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        int port = properties.lwm2m().port();
        DeviceEndpoint endpoint = lwm2m.getIfUnique();
        if (endpoint != null) {
            try {
                port = endpoint.secureUri().getPort();
            } catch (IllegalStateException e) {
                // not started (yet): the configured port
            }
        }
        String host = request.getServerName();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new URI("coaps", null, host, port, null, null, null).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot make a coaps URI of host " + host, e);
        }
    }
}
