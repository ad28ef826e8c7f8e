package cn.callbox.hub.firmware;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import cn.callbox.protocol.firmware.FirmwarePackage;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code GET /firmware/download/{token}}: the bytes of a held package, as uploaded, for the boxes a roll-out writes
 * its URL to ({@link FirmwareCatalog#downloadPath}). No account (its own security chain): the token is the secret
 * part of the URL, and a box installs a package only for its signature. {@code application/octet-stream} with
 * {@code Content-Length}, streamed from the file; {@code Range} requests are answered (206), so a box on a weak 4G
 * link can resume. An unknown token is 404 {@code firmware-not-found}. Each download is logged with the remote
 * address and the package id, never the token.
 */
@RestController
class FirmwareDownloadController {

    private static final Logger LOG = LoggerFactory.getLogger(FirmwareDownloadController.class);

    private final FirmwareStore store;

    FirmwareDownloadController(FirmwareStore store) {
        this.store = store;
    }

    @GetMapping("/firmware/download/{token}")
    ResponseEntity<Resource> download(@PathVariable String token, HttpServletRequest request) {
        FirmwareStore.Download download = store.download(token).orElseThrow(
                () -> new FirmwareStore.NotFoundException("no firmware package at this address"));
        StoredFirmware firmware = download.firmware();
        String range = request.getHeader(HttpHeaders.RANGE);
        LOG.info("Firmware {} version {} downloaded by {}{}", firmware.id(), firmware.version(),
                request.getRemoteAddr(), range == null ? "" : " (" + range + ")");
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(firmware.name() + "-" + firmware.version() + FirmwarePackage.FILE_SUFFIX).build()
                        .toString())
                .body(new FileSystemResource(download.file()));
    }
}
