package cn.callbox.provision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;

import cn.callbox.protocol.config.HubCertificates;

/**
 * The certificates an {@code https://} hub is trusted by when {@code --hub-ca FILE} is given: a township's own CA or
 * the hub's self-signed certificate (PEM), instead of the system's trust store. Host names are still checked
 * against the certificate, as for any HTTPS call.
 */
final class HubTrust {

    private HubTrust() {
    }

    /**
     * @throws CliException exit code 2 when the file cannot be read or holds no X.509 certificate
     */
    static SSLContext trusting(Path pemFile) {
        return HubCertificates.trustingOnly(certificates(pemFile));
    }

    /** The certificates of a PEM file, one or more. @throws CliException exit code 2, as {@link #trusting} */
    static List<X509Certificate> certificates(Path pemFile) {
        if (!Files.isRegularFile(pemFile)) {
            throw CliException.usage("--hub-ca " + pemFile + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw CliException.usage("--hub-ca " + pemFile + " holds no certificate (PEM, -----BEGIN CERTIFICATE-----)");
            }
            return certificates.stream().map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw CliException.usage("--hub-ca " + pemFile + " holds no certificate (PEM, -----BEGIN CERTIFICATE-----): "
                    + e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read --hub-ca " + pemFile + ": " + e);
        }
    }
}
