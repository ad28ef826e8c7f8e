package cn.callbox.protocol.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;

class HubCertificatesTest {

    @Test
    void certificates_round_trip_through_their_one_line_form() throws Exception {
        X509Certificate certificate = testHub();

        String line = HubCertificates.toBase64(certificate) + " , " + HubCertificates.toBase64(certificate);

        List<X509Certificate> read = HubCertificates.fromBase64List(line);
        assertEquals(List.of(certificate, certificate), read);
        assertEquals(List.of(), HubCertificates.fromBase64List(null));
        assertEquals(List.of(), HubCertificates.fromBase64List("  "));
    }

    @Test
    void an_entry_that_is_no_certificate_is_refused_by_its_position() throws Exception {
        String good = HubCertificates.toBase64(testHub());

        IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class,
                () -> HubCertificates.fromBase64List(good + ",not base64!"));
        IllegalArgumentException notACertificate = assertThrows(IllegalArgumentException.class,
                () -> HubCertificates.fromBase64List("AAAA"));

        assertTrue(notBase64.getMessage().startsWith("certificate 2 is not"), notBase64.getMessage());
        assertTrue(notACertificate.getMessage().startsWith("certificate 1 is not"), notACertificate.getMessage());
    }

    private static X509Certificate testHub() throws Exception {
        try (InputStream in = HubCertificatesTest.class.getResourceAsStream("/tls/test-hub.crt")) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
