package cn.callbox.provision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
        Collection<? extends Certificate> certificates = certificates(pemFile);
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("hub-ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the certificates of " + pemFile, e);
        }
    }

    /** The certificates of a PEM file, one or more. @throws CliException exit code 2, as {@link #trusting} */
    static Collection<? extends Certificate> certificates(Path pemFile) {
        if (!Files.isRegularFile(pemFile)) {
            throw CliException.usage("--hub-ca " + pemFile + " does not exist or is not a file");
        }
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw CliException.usage("--hub-ca " + pemFile + " holds no certificate (PEM, -----BEGIN CERTIFICATE-----)");
            }
            return certificates;
        } catch (CertificateException e) {
            throw CliException.usage("--hub-ca " + pemFile + " holds no certificate (PEM, -----BEGIN CERTIFICATE-----): "
                    + e.getMessage());
        } catch (IOException e) {
            throw CliException.usage("cannot read --hub-ca " + pemFile + ": " + e);
        }
    }
}
