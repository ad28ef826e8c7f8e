package cn.callbox.protocol.config;

/**
 * Keys of a call box's configuration file (Java properties, UTF-8). Written by the hub's demo profile and by
 * provisioning, read by the edge. Pin keys hold BCM GPIO numbers; their defaults are in {@code hardware-docs/pinout.md}.
 */
public final class DeviceConfigKeys {
    /** LwM2M endpoint name, unique in the township; also the box's id in topics and the REST API. */
    public static final String ENDPOINT = "endpoint";
    /** {@code coaps://host:port} (or {@code coap://} with {@link #ALLOW_INSECURE}). */
    public static final String HUB_URI = "hub.uri";
    public static final String PSK_IDENTITY = "psk.identity";
    /** The pre-shared key in hex, at least 16 bytes. */
    public static final String PSK_KEY = "psk.key";
    /** {@code true} allows a plain {@code coap://} hub URI: development only. */
    public static final String ALLOW_INSECURE = "dev.allow-insecure";
    public static final String LATITUDE = "location.lat";
    public static final String LONGITUDE = "location.lon";
    /** Human name of the place (zh-CN), said in the box's own announcements. */
    public static final String PLACE = "place";
    /** Folder of the durable alarm outbox and the persisted press counter. */
    public static final String OUTBOX_DIR = "outbox.dir";
    /**
     * Ed25519 public keys (base64, comma-separated) whose signature a firmware package must carry to be installed
     * over the air; none: every package is refused. See {@link cn.callbox.protocol.firmware.FirmwareKeys}.
     */
    public static final String FIRMWARE_TRUSTED_KEYS = "firmware.trusted-keys";
    /**
     * Certificates (base64 DER, comma-separated) trusted for HTTPS firmware downloads besides the system's CAs: the
     * hub's self-signed certificate or the township's CA. See {@link HubCertificates}.
     */
    public static final String FIRMWARE_DOWNLOAD_CA = "firmware.download-ca";
    /** Prefix of the BCM pin keys, e.g. {@code pin.panic-button=17}. */
    public static final String PIN_PREFIX = "pin.";

    private DeviceConfigKeys() {
    }
}
