package cn.callbox.hub.firmware;

import java.time.Instant;

/**
 * A firmware package the hub holds: its checked manifest, who signed it and who uploaded it.
 *
 * @param id short readable id (the REST API's)
 * @param keyId {@link cn.callbox.protocol.firmware.FirmwareKeys#keyId} of the trusted key that signed it
 * @param downloadToken random part of the URL boxes download it from ({@code /firmware/download/<token>}); never shown
 *        to anyone but the boxes it is written to
 */
public record StoredFirmware(String id, String name, String version, long size, String sha256, String keyId,
        String downloadToken, Instant uploadedAt, String uploadedBy) {
}
