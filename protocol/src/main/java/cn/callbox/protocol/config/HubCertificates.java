package cn.callbox.protocol.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificates a box trusts for HTTPS to its hub besides the system's CAs, as the device config carries them
 * ({@link DeviceConfigKeys#FIRMWARE_DOWNLOAD_CA}): base64 DER, comma-separated, one line. A township hub often has a
 * self-signed certificate or one from the township's own CA, which no system trust store knows.
 */
public final class HubCertificates {

    private HubCertificates() {
    }

    /**
     * @param text comma-separated base64 DER certificates; null or blank: none
     * @throws IllegalArgumentException when an entry is not base64 or not an X.509 certificate
     */
    public static List<X509Certificate> fromBase64List(String text) {
        List<X509Certificate> certificates = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return certificates;
        }
        int n = 1;
        for (String entry : text.split(",")) {
            String base64 = entry.strip();
            if (base64.isEmpty()) {
                continue;
            }
            try {
                certificates.add((X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64))));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new IllegalArgumentException("certificate " + n + " is not a base64 DER X.509 certificate: "
                        + e.getMessage(), e);
            }
            n++;
        }
        return certificates;
    }

    /** The one-line form of {@link #fromBase64List}. */
    public static String toBase64(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS context that trusts the system's CAs and {@code extra}. Host names are checked by the client as usual.
     *
     * @throws IllegalStateException when the JDK's TLS cannot be set up (a broken JDK, not bad input)
     */
    public static SSLContext trustingAlso(List<X509Certificate> extra) {
        List<X509Certificate> all = new ArrayList<>(systemCas());
        all.addAll(extra);
        return trustingOnly(all);
    }

    /**
     * A TLS context that trusts {@code certificates} and nothing else (an operator's explicit choice of CA).
     *
     * @throws IllegalStateException when the JDK's TLS cannot be set up (a broken JDK, not bad input)
     */
    public static SSLContext trustingOnly(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate certificate : certificates) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> systemCas() {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            List<X509Certificate> cas = new ArrayList<>();
            for (TrustManager manager : system.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    cas.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return cas;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the system's CAs: " + e.getMessage(), e);
        }
    }
}
