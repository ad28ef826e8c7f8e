package cn.callbox.hub.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.hub.system.AuditTrail;
import cn.callbox.hub.system.Caller;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The firmware packages the hub holds, admin only (the API's security):
 * <ul>
 * <li>{@code POST /api/firmware}, body the {@code .cbfw} file as {@code application/octet-stream} (curl
 * {@code -H 'Content-Type: application/octet-stream' --data-binary @x.cbfw}) → 201 the package, {@code Location}
 * {@code /api/firmware/<id>};</li>
 * <li>{@code GET /api/firmware} → the packages, the newest upload first;</li>
 * <li>{@code GET /api/firmware/{id}} → one package.</li>
 * </ul>
 * A package is {@code {"id","name","version","size","sha256","keyId","uploadedAt","uploadedBy"}}: size and SHA-256
 * (lower-case hex) are the payload's, as the signed manifest gives them; {@code keyId} names the trusted key that
 * signed it; {@code uploadedAt} is ISO-8601 UTC. The download token is never shown here. Errors are problem details
 * ({@link FirmwareProblems}); a refused upload leaves no file and no row. Uploads are audited as
 * {@code firmware-upload}.
 */
@RestController
@RequestMapping("/api/firmware")
class FirmwareController {

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareController.class);

    private final FirmwareStore store;
    private final AuditTrail audit;

    FirmwareController(FirmwareStore store, AuditTrail audit) {
        this.store = store;
        this.audit = audit;
    }

    record FirmwareView(String id, String name, String version, long size, String sha256, String keyId,
            String uploadedAt, String uploadedBy) {

        static FirmwareView of(StoredFirmware f) {
            return new FirmwareView(f.id(), f.name(), f.version(), f.size(), f.sha256(), f.keyId(),
                    f.uploadedAt().toString(), f.uploadedBy());
        }
    }

    /** A body that is not declared as the raw package. */
    static final class MediaTypeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MediaTypeException(String message) {
            super(message);
        }
    }

    @PostMapping
    ResponseEntity<FirmwareView> upload(HttpServletRequest request, Authentication authentication)
            throws IOException {
        String actor = Caller.of(authentication).username();
        requireOctetStream(request.getContentType());
        if (request.getContentLengthLong() > store.maxUpload()) {
            throw new FirmwareStore.TooLargeException(store.maxUpload());
        }
        StoredFirmware stored;
        try (InputStream body = request.getInputStream()) {
            stored = store.upload(body, actor);
        }
        audit.record(actor, "firmware-upload", stored.id(), "version " + stored.version() + ", signed with key "
                + stored.keyId() + ", payload " + stored.size() + " bytes, sha256 " + stored.sha256());
        LOG.info("Firmware {} version {} (key {}) uploaded by {}", stored.id(), stored.version(), stored.keyId(),
                actor);
        return ResponseEntity.created(URI.create("/api/firmware/" + stored.id())).body(FirmwareView.of(stored));
    }

    @GetMapping
    List<FirmwareView> list() {
        return store.list().stream().map(FirmwareView::of).toList();
    }

    @GetMapping("/{id}")
    FirmwareView one(@PathVariable String id) {
        return store.find(id).map(FirmwareView::of)
                .orElseThrow(() -> new FirmwareStore.NotFoundException("no firmware package " + id));
    }

    /** No content type is taken as the raw package too; anything but {@code application/octet-stream} is refused. */
    private static void requireOctetStream(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        try {
            if (MediaType.APPLICATION_OCTET_STREAM.equalsTypeAndSubtype(MediaType.parseMediaType(contentType))) {
                return;
            }
        } catch (InvalidMediaTypeException e) {
            // refused below
        }
        throw new MediaTypeException("send the .cbfw file itself as application/octet-stream (curl -H "
                + "'Content-Type: application/octet-stream' --data-binary @FILE.cbfw), not " + contentType);
    }
}
