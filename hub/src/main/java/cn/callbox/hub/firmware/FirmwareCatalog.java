package cn.callbox.hub.firmware;

import java.util.Optional;

/** The firmware packages the hub holds (uploaded through {@code POST /api/firmware}). */
public interface FirmwareCatalog {

    Optional<StoredFirmware> find(String id);

    /** The path, under the download base URL, where boxes fetch this package: {@code /firmware/download/<token>}. */
    static String downloadPath(StoredFirmware firmware) {
        return "/firmware/download/" + firmware.downloadToken();
    }
}
