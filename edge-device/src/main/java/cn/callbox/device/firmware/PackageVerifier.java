package cn.callbox.device.firmware;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import cn.callbox.protocol.firmware.FirmwarePackage;
import cn.callbox.protocol.firmware.FirmwarePackageException;
import cn.callbox.protocol.lwm2m.FirmwareUpdateObject.Result;

/**
 * Checks a downloaded package ({@link FirmwarePackage#read}) against the trusted keys and unpacks its jar; only
 * call-box firmware ({@link FirmwarePackage#EDGE_FIRMWARE}) passes. Logs nothing. Thread-safe (immutable).
 */
final class PackageVerifier {

    private final List<PublicKey> trusted;

    /** @param trusted keys a package must be signed with; empty refuses every package (result 5) */
    PackageVerifier(Collection<PublicKey> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Reads {@code packageFile} and writes its payload (the jar) to {@code jarFile}, replacing it. On a failure the
     * jar file holds an unverified or partial payload: the caller must delete it.
     *
     * @return the checked package, its manifest and signer
     * @throws UpdateFailure signature or SHA-256 wrong, or no key trusted (5); not a package, unsupported format or
     *         not {@code callbox-edge} (6); local files unreadable or unwritable (2 when the disk is full, else 8)
     */
    FirmwarePackage.Verified verify(Path packageFile, Path jarFile) throws UpdateFailure {
        FirmwarePackage.Verified verified;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(packageFile));
                OutputStream out = Files.newOutputStream(jarFile)) {
            verified = FirmwarePackage.read(in, trusted, out);
        } catch (FirmwarePackageException e) {
            Result refused = switch (e.reason()) {
                case UNTRUSTED, INTEGRITY -> Result.INTEGRITY_CHECK_FAILED;
                case MALFORMED, UNSUPPORTED -> Result.UNSUPPORTED_PACKAGE;
            };
            throw new UpdateFailure(refused, "package refused (" + e.reason().name().toLowerCase(Locale.ROOT) + "): "
                    + e.getMessage());
        } catch (IOException e) {
            throw UpdateFailure.storage(e, "cannot check the package");
        }
        FirmwarePackage.Manifest manifest = verified.manifest();
        if (!FirmwarePackage.EDGE_FIRMWARE.equals(manifest.name())) {
            throw new UpdateFailure(Result.UNSUPPORTED_PACKAGE, "package " + manifest.name() + " "
                    + manifest.version() + " is not call-box firmware (" + FirmwarePackage.EDGE_FIRMWARE + ")");
        }
        return verified;
    }
}
