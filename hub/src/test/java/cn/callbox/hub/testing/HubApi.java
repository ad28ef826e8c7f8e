package cn.callbox.hub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The hub's HTTP API on {@code 127.0.0.1} as a test calls it: one request a call, with HTTP Basic for a named console
 * user, and the checks of what comes back (a JSON body, or problem details as {@code application/problem+json}).
 *
 * <p>A user's password is the test's admin password for {@code admin} and {@link TestUsers#password(String)} for
 * everyone else; a {@code null} user sends no {@code Authorization} header. A {@code null} body sends none and no
 * {@code Content-Type}; any other body goes as UTF-8 {@code application/json}. Immutable and safe to share; make one a
 * test once the server's port is known (in a {@code @BeforeEach}).
 */
public final class HubApi {

    private final int port;
    private final String adminPassword;
    private final Duration timeout;
    private final boolean jsonWithoutBody;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private HubApi(int port, String adminPassword, Duration timeout, boolean jsonWithoutBody, HttpClient http) {
        this.port = port;
        this.adminPassword = adminPassword;
        this.timeout = timeout;
        this.jsonWithoutBody = jsonWithoutBody;
        this.http = http;
    }

    /** The API of the hub on {@code port}, whose admin logs in with {@code adminPassword}; no request timeout. */
    public static HubApi at(int port, String adminPassword) {
        return new HubApi(port, adminPassword, null, false, HttpClient.newHttpClient());
    }

    /** The same API with a timeout on every request (an answer later than that fails the call). */
    public HubApi withTimeout(Duration requestTimeout) {
        return new HubApi(port, adminPassword, requestTimeout, jsonWithoutBody, http);
    }

    /** The same API declaring {@code Content-Type: application/json} on every request, with or without a body. */
    public HubApi withJsonContentTypeAlways() {
        return new HubApi(port, adminPassword, timeout, true, http);
    }

    /** The address of {@code path} (with its query, if any) on this hub. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sends a request as {@code user} (see the class comment for the password and a {@code null} user or body). */
    public HttpResponse<String> send(String method, String path, String user, String body) throws Exception {
        return send(method, path, user, user == null ? null : passwordOf(user), body);
    }

    /** Sends a request as {@code user} with an explicit {@code password}; a {@code null} user sends no credentials. */
    public HttpResponse<String> send(String method, String path, String user, String password, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (timeout != null) {
            request.timeout(timeout);
        }
        if (body != null || jsonWithoutBody) {
            request.header("Content-Type", "application/json");
        }
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The {@code Authorization} header value of HTTP Basic for the user and password. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private String passwordOf(String user) {
        return user.equals("admin") ? adminPassword : TestUsers.password(user);
    }

    /** Asserts the status (showing the body when it differs) and returns the body as JSON. */
    public JsonNode ok(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    /**
     * Asserts problem details with the status: the HTTP status, the {@code application/problem+json} type, the same
     * {@code status} member and a non-blank {@code detail}. Returns the problem.
     */
    public JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        JsonNode problem = problemStatus(response, status);
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }

    /**
     * As {@link #problem(HttpResponse, int)}, and when {@code type} is not {@code null} the problem's type is
     * {@code urn:callbox:problem:<type>}.
     */
    public JsonNode problem(HttpResponse<String> response, int status, String type) throws Exception {
        JsonNode problem = problem(response, status);
        if (type != null) {
            assertThat(problem.path("type").asText()).isEqualTo("urn:callbox:problem:" + type);
        }
        return problem;
    }

    /** As {@link #problem(HttpResponse, int)} without the check of the {@code detail} member. */
    public JsonNode problemStatus(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    /** The names of the object's members, sorted. */
    public static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The {@code id} member of each element of the array, in order. */
    public static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }
}
