package cn.callbox.provision;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The hub's admin REST API over HTTP Basic as {@code admin}. A call answers the JSON body of a 2xx response; a
 * refusal is a {@link HubRefusedException} with the problem details; no answer is a {@link CliException} with exit
 * code 3. The password is only ever put in the Authorization header.
 */
final class HubClient {

    static final String ADMIN = "admin";
    static final ObjectMapper JSON = new ObjectMapper();
    /** An upload's answer may take a second longer for every 32 KiB (256 kbit/s). */
    static final long SLOW_LINK_BYTES_PER_SECOND = 32 * 1024;

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final Duration timeout;

    HubClient(HttpClient http, URI base, String adminPassword, Duration timeout) {
        this.http = http;
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((ADMIN + ":" + adminPassword).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /** The hub refused the request: an HTTP status outside 2xx, with its problem details when it sent some. */
    static final class HubRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final int status;
        private final transient JsonNode problem;

        HubRefusedException(int status, JsonNode problem) {
            super("HTTP " + status);
            this.status = status;
            this.problem = problem;
        }

        int status() {
            return status;
        }

        /** The problem details, or an empty object when the body was not JSON. */
        JsonNode problem() {
            return problem;
        }

        /** {@code detail} of the problem, else its {@code title}, else the status. */
        String detail() {
            if (problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
            return switch (status) {
                case 401 -> "the hub refused the admin password";
                case 403 -> "the admin account may not do this";
                default -> "no detail";
            };
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * POSTs a file as it is, streamed from disk (never held in memory whole). The answer may take the usual timeout
     * plus one second for every {@value #SLOW_LINK_BYTES_PER_SECOND} bytes: a township's link can be slow.
     *
     * @throws CliException exit code 2 when the file cannot be read
     */
    JsonNode postFile(String path, Path file, String contentType) {
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw CliException.usage("cannot read " + file + ": no such file");
        }
        Duration slowLink = timeout.plusSeconds(Math.max(0, body.contentLength()) / SLOW_LINK_BYTES_PER_SECOND);
        return send("POST", path, contentType, body, slowLink);
    }

    URI base() {
        return base;
    }

    private JsonNode send(String method, String path, Object body) {
        if (body == null) {
            return send(method, path, null, HttpRequest.BodyPublishers.noBody(), timeout);
        }
        try {
            return send(method, path, "application/json", HttpRequest.BodyPublishers.ofByteArray(
                    JSON.writeValueAsBytes(body)), timeout);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the request body", e);
        }
    }

    private JsonNode send(String method, String path, String contentType, HttpRequest.BodyPublisher body,
            Duration answerWithin) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(answerWithin)
                .header("Authorization", authorization).header("Accept", "application/json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new CliException(CliException.HUB_UNREACHABLE, "cannot reach the hub at " + base + ": connection "
                    + "refused");
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.HUB_UNREACHABLE, "the hub at " + base + " did not answer in time");
        } catch (SSLHandshakeException e) {
            throw new CliException(CliException.HUB_UNREACHABLE, "the hub at " + base + " is not trusted: its "
                    + "certificate does not check out (" + e.getMessage() + "); give the hub's certificate or the "
                    + "township's CA with --hub-ca FILE");
        } catch (IOException e) {
            throw new CliException(CliException.HUB_UNREACHABLE, "cannot reach the hub at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.HUB_UNREACHABLE, "interrupted while calling the hub at " + base);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new HubRefusedException(response.statusCode(), json.isObject() ? json : JSON.createObjectNode());
        }
        return json;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return NullNode.getInstance();
        }
    }
}
