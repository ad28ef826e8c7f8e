package cn.callbox.hub.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a measured incident through the hub's REST API, as the command centre would, between two presses (never
 * inside a timed section): presses at a box whose incident is open join it and alert nobody, so each press must find
 * its box without an open incident to be measured to its alert.
 */
final class IncidentCloser {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentCloser.class);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String authorization;

    IncidentCloser(int port, String adminPassword) {
        this.base = "http://127.0.0.1:" + port + "/api/incidents/";
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the incident; null (its alert never came) does nothing, a refusal is logged. */
    void close(String incidentId) throws InterruptedException {
        if (incidentId == null) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + incidentId + "/close"))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"benchmark\"}")).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warn("Closing {} answered {}: {}", incidentId, response.statusCode(), response.body());
            }
        } catch (IOException e) {
            LOG.warn("Closing {} failed: {}", incidentId, e.toString());
        }
    }
}
