package cn.callbox.device.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import cn.callbox.device.config.ConfigException;
import cn.callbox.device.config.DeviceConfigLoader;
import cn.callbox.protocol.config.DeviceConfigKeys;
import cn.callbox.protocol.firmware.FirmwareKeys;

/** {@code firmware.trusted-keys} and {@code firmware.download-ca} in the box's configuration. */
class TrustedKeysConfigTest {

    private static Properties box() {
        Properties properties = new Properties();
        properties.setProperty("endpoint", "cb-1");
        properties.setProperty("hub.uri", "coap://127.0.0.1:5683");
        properties.setProperty("dev.allow-insecure", "true");
        properties.setProperty("location.lat", "30.8");
        properties.setProperty("location.lon", "108.4");
        properties.setProperty("place", "集市");
        return properties;
    }

    @Test
    void trusted_keys_are_read_comma_separated_and_none_means_none() throws Exception {
        KeyPair first = FirmwareKeys.generate();
        KeyPair second = FirmwareKeys.generate();
        Properties properties = box();
        assertTrue(DeviceConfigLoader.parse(properties, Path.of("/tmp")).firmwareTrustedKeys().isEmpty());

        properties.setProperty(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, FirmwareKeys.toBase64(first.getPublic())
                + ", " + FirmwareKeys.toBase64(second.getPublic()));

        assertEquals(List.of(first.getPublic(), second.getPublic()),
                DeviceConfigLoader.parse(properties, Path.of("/tmp")).firmwareTrustedKeys());
    }

    @Test
    void a_malformed_key_is_a_config_error_naming_the_key() {
        Properties properties = box();
        properties.setProperty(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, "bm90IGEga2V5");

        ConfigException error = assertThrows(ConfigException.class,
                () -> DeviceConfigLoader.parse(properties, Path.of("/tmp")));

        assertEquals(DeviceConfigKeys.FIRMWARE_TRUSTED_KEYS, error.key());
        assertTrue(error.getMessage().startsWith("firmware.trusted-keys: "), error.getMessage());
    }

    @Test
    void a_download_certificate_that_is_none_is_a_config_error_naming_the_key() throws Exception {
        Properties properties = box();
        assertTrue(DeviceConfigLoader.parse(properties, Path.of("/tmp")).firmwareDownloadCas().isEmpty());
        properties.setProperty(DeviceConfigKeys.FIRMWARE_DOWNLOAD_CA, "bm90IGEgY2VydGlmaWNhdGU=");

        ConfigException error = assertThrows(ConfigException.class,
                () -> DeviceConfigLoader.parse(properties, Path.of("/tmp")));

        assertEquals(DeviceConfigKeys.FIRMWARE_DOWNLOAD_CA, error.key());
        assertTrue(error.getMessage().startsWith("firmware.download-ca: certificate 1 is not"), error.getMessage());
    }
}
