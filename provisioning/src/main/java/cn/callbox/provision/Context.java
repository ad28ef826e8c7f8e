package cn.callbox.provision;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * What commands share: where they print, the random source of ids and keys, the clock of the bundle's date and the
 * HTTP client. Tests give their own.
 *
 * @param out results; a command that makes a box prints its endpoint id as the last line
 * @param err errors and problem details
 * @param timeout connect and request timeout of hub calls
 */
record Context(PrintWriter out, PrintWriter err, SecureRandom random, Clock clock, Duration timeout) {

    HttpClient httpClient() {
        return httpClientBuilder().build();
    }

    /** @param tls whom an https:// hub is trusted by, instead of the system's trust store */
    HttpClient httpClient(SSLContext tls) {
        return httpClientBuilder().sslContext(tls).build();
    }

    private HttpClient.Builder httpClientBuilder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
    }
}
