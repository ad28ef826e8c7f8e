package cn.callbox.provision;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A hub's REST API on loopback for tests: answers each {@code METHOD path} with the status and JSON given by
 * {@link #answer} (then by {@link #thenAnswer}, in turn, the last one for good), 404 otherwise, and records every
 * request.
 */
final class FakeHub implements AutoCloseable {

    /**
     * One request as the hub saw it.
     *
     * @param body the body as UTF-8 text
     * @param bytes the body as it came
     */
    record Request(String method, String path, String authorization, String contentType, String body, byte[] bytes) {
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, List<Answer>> answers = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();

    FakeHub() throws IOException {
        this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** Over HTTPS with the key and certificate of {@code tls}. */
    static FakeHub https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new FakeHub(server);
    }

    private FakeHub(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            String body = new String(bytes, StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            Answer answer;
            synchronized (this) {
                requests.add(new Request(exchange.getRequestMethod(), path,
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body, bytes));
                List<Answer> inTurn = answers.get(exchange.getRequestMethod() + " " + path);
                if (inTurn == null) {
                    answer = new Answer(404,
                            "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such call\"}");
                } else {
                    answer = inTurn.size() > 1 ? inTurn.remove(0) : inTurn.get(0);
                }
            }
            byte[] answerBytes = answer.body() == null ? new byte[0] : answer.body().getBytes(
                    StandardCharsets.UTF_8);
            if (answer.status() >= 400) {
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), answerBytes.length == 0 ? -1 : answerBytes.length);
            if (answerBytes.length > 0) {
                exchange.getResponseBody().write(answerBytes);
            }
            exchange.close();
        });
        server.start();
    }

    synchronized FakeHub answer(String methodAndPath, int status, String json) {
        answers.put(methodAndPath, new ArrayList<>(List.of(new Answer(status, json))));
        return this;
    }

    /** The answer after the ones given so far for this call; the last one stays. */
    synchronized FakeHub thenAnswer(String methodAndPath, int status, String json) {
        answers.computeIfAbsent(methodAndPath, k -> new ArrayList<>()).add(new Answer(status, json));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
