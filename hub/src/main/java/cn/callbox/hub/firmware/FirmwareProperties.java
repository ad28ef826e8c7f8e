package cn.callbox.hub.firmware;

import java.security.PublicKey;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import cn.callbox.protocol.firmware.FirmwareKeys;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of firmware over the air ({@code callbox.firmware.*}).
 *
 * @param trustedKeys Ed25519 public keys (base64, as {@code callbox-provision firmware keygen} prints them) whose
 *        signature an uploaded package must carry; also given to boxes at enrolment. None: uploads are refused. The
 *        private keys stay with whoever signs releases, never on the hub.
 * @param downloadBaseUrl where boxes fetch packages, e.g. {@code https://hub.example.cn}; unset: the scheme, host and
 *        port the roll-out was requested on
 * @param tick how often roll-outs advance (reads and writes to boxes happen on that one thread)
 * @param downloadTimeout how long a box may take from the Package URI to a downloaded, checked package
 * @param installTimeout how long a box may take from Update to running the new version, and again from then to
 *        confirming it (or reporting its rollback): longer than the box's trial deadline (5 min to register plus its
 *        healthy window of 10 min in the wrapper) plus restarts
 * @param offlineGrace how long a roll-out waits for an offline box of the current wave before skipping it
 */
@Validated
@ConfigurationProperties("callbox.firmware")
public record FirmwareProperties(
        @DefaultValue List<String> trustedKeys,
        String downloadBaseUrl,
        @DefaultValue("5s") @NotNull Duration tick,
        @DefaultValue("10m") @NotNull Duration downloadTimeout,
        @DefaultValue("20m") @NotNull Duration installTimeout,
        @DefaultValue("10m") @NotNull Duration offlineGrace) {

    public FirmwareProperties {
        trustedKeys = trustedKeys == null ? List.of() : List.copyOf(trustedKeys);
        for (String key : trustedKeys) {
            try {
                FirmwareKeys.publicKey(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("callbox.firmware.trusted-keys: " + e.getMessage(), e);
            }
        }
    }

    /** The trusted keys, parsed. */
    public List<PublicKey> publicKeys() {
        return trustedKeys.stream().map(FirmwareKeys::publicKey).toList();
    }

    /** The defaults, for tests and wiring without Spring's binder. */
    public static FirmwareProperties defaults() {
        return new FirmwareProperties(List.of(), null, Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofMinutes(20), Duration.ofMinutes(10));
    }
}
