package cn.callbox.device.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.tinylog.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cn.callbox.device.CallBox;
import cn.callbox.device.hardware.SimulatedFaults;
import cn.callbox.device.hardware.SimulatedInputs;
import cn.callbox.protocol.ItemKind;
import cn.callbox.protocol.WireName;

/**
 * The simulator's control API on loopback (JSON), for {@code --simulate}:
 * <ul>
 * <li>{@code POST /button/press}, {@code POST /locker/door/open}, {@code POST /locker/door/close},
 * {@code POST /locker/items/{kind}/take}, {@code POST /locker/items/{kind}/return}: drive the mock pins, so the press
 * or switch change travels the same Pi4J listener path as on real GPIO; answer the new state;</li>
 * <li>{@code POST /enclosure/open}, {@code POST /enclosure/close}: the enclosure's tamper switch (the lid);
 * {@code POST /power/mains-lost}, {@code POST /power/mains-restored}: the power supply's AC-OK signal; answer the new
 * state;</li>
 * <li>{@code POST /faults/{part}}, {@code DELETE /faults/{part}} (part {@code siren} or {@code loudspeaker}): the
 * part draws no current until repaired, which the self-test measures; answer {@code {"faults": [part...]}};</li>
 * <li>{@code GET /state}: {@code {"registered", "siren": {"sounding", "pattern"}, "loudspeaker": {"playing",
 * "lastText"}, "callStatus", "locker": {"doorOpen", "items": {kind: present}}, "outbox": n, "enclosureOpen",
 * "onMains"}} ({@code onMains} null on a box without AC-OK input).</li>
 * </ul>
 * Errors answer {@code {"error": "..."}}: 404 unknown path or kind, 405 wrong method, 409 nothing to take or no free
 * slot, or no AC-OK input, 500 for anything unexpected (logged; the box carries on).
 */
public final class SimulatorApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallBox box;
    private final SimulatedInputs inputs;
    private final HttpServer server;
    private final ExecutorService executor;

    private SimulatorApi(CallBox box, HttpServer server) {
        this.box = box;
        this.inputs = box.simulatedInputs();
        this.server = server;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sim-api");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /**
     * Serves the API for a simulated box on 127.0.0.1:{@code port} (0 = a free port, see {@link #port()}).
     *
     * @throws IllegalArgumentException when the box does not run on simulated GPIO
     */
    public static SimulatorApi start(CallBox box, int port) throws IOException {
        if (box.simulatedInputs() == null) {
            throw new IllegalArgumentException("the simulator API needs a box on simulated GPIO");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        SimulatorApi api = new SimulatorApi(box, server);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            drain(exchange.getRequestBody());
            String method = exchange.getRequestMethod();
            String[] path = exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            // path[0] is the empty string before the leading slash
            Reply reply;
            try {
                reply = route(method, path);
            } catch (RuntimeException e) {
                Logger.error(e, "Simulator request {} {} failed", method, exchange.getRequestURI());
                reply = Reply.error(500, "internal error: " + e.getMessage());
            }
            byte[] body = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (reply.status() == 405) {
                exchange.getResponseHeaders().set("Allow", reply.allow());
            }
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private Reply route(String method, String[] path) {
        String joined = String.join("/", path);
        switch (joined) {
            case "/state" -> {
                return method.equals("GET") ? Reply.ok(state()) : Reply.wrongMethod("GET");
            }
            case "/button/press" -> {
                return post(method, () -> {
                    inputs.pressButton();
                    return Reply.ok(state());
                });
            }
            case "/locker/door/open", "/locker/door/close" -> {
                boolean open = joined.endsWith("open");
                return post(method, () -> {
                    inputs.door(open);
                    return Reply.ok(state());
                });
            }
            case "/enclosure/open", "/enclosure/close" -> {
                boolean open = joined.endsWith("open");
                return post(method, () -> {
                    inputs.tamper(open);
                    return Reply.ok(state());
                });
            }
            case "/power/mains-lost", "/power/mains-restored" -> {
                boolean present = joined.endsWith("restored");
                return post(method, () -> {
                    if (box.power() == null) {
                        return Reply.error(409, "this box has no AC-OK input (pin.ac-ok=none)");
                    }
                    inputs.mains(present);
                    return Reply.ok(state());
                });
            }
            default -> {
                if (path.length == 3 && path[1].equals("faults")) {
                    return fault(method, path[2]);
                }
                if (path.length == 5 && path[1].equals("locker") && path[2].equals("items")
                        && (path[4].equals("take") || path[4].equals("return"))) {
                    return item(method, path[3], path[4].equals("take"));
                }
                return Reply.error(404, "no such path; see GET /state, POST /button/press, /locker/door/{open|close}, "
                        + "/locker/items/{kind}/{take|return}, /enclosure/{open|close}, "
                        + "/power/{mains-lost|mains-restored}, POST|DELETE /faults/{part}");
            }
        }
    }

    /** {@code POST /faults/{part}} breaks the part (it draws no current), {@code DELETE} repairs it. */
    private Reply fault(String method, String partName) {
        Optional<SimulatedFaults.Part> part = SimulatedFaults.Part.parse(partName);
        if (part.isEmpty()) {
            return Reply.error(404, "no such part '" + partName + "'; parts: siren, loudspeaker");
        }
        SimulatedFaults faults = box.simulatedFaults();
        switch (method) {
            case "POST" -> faults.breakPart(part.get());
            case "DELETE" -> faults.repair(part.get());
            default -> {
                return new Reply(405, Map.of("error", "method not allowed; use POST or DELETE"), "POST, DELETE");
            }
        }
        return Reply.ok(Map.of("faults", faults.broken().stream().map(SimulatedFaults.Part::wireName).toList()));
    }

    private Reply item(String method, String kindName, boolean take) {
        Optional<ItemKind> kind = WireName.parse(ItemKind.class, kindName);
        if (kind.isEmpty() || !inputs.hasSlots(kind.get())) {
            return Reply.error(404, "this locker has no slots for '" + kindName + "'");
        }
        return post(method, () -> {
            boolean done = take ? inputs.take(kind.get()) : inputs.giveBack(kind.get());
            if (!done) {
                return Reply.error(409, take ? "no " + kind.get().wireName() + " left in the locker"
                        : "every " + kind.get().wireName() + " slot is already full");
            }
            return Reply.ok(state());
        });
    }

    private static Reply post(String method, java.util.function.Supplier<Reply> action) {
        return method.equals("POST") ? action.get() : Reply.wrongMethod("POST");
    }

    /** The {@code GET /state} document. */
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("registered", box.registered());
        Map<String, Object> siren = new LinkedHashMap<>();
        siren.put("sounding", box.siren().isSounding());
        siren.put("pattern", box.siren().pattern().wireName());
        state.put("siren", siren);
        Map<String, Object> loudspeaker = new LinkedHashMap<>();
        loudspeaker.put("playing", box.loudspeaker().isPlaying());
        loudspeaker.put("lastText", box.loudspeaker().lastText());
        state.put("loudspeaker", loudspeaker);
        state.put("callStatus", box.callStatus().state().wireName());
        Map<String, Object> locker = new LinkedHashMap<>();
        locker.put("doorOpen", box.locker().doorOpen());
        Map<String, Object> items = new LinkedHashMap<>();
        box.locker().kinds().forEach(kind -> items.put(kind.wireName(), box.locker().present(kind)));
        locker.put("items", items);
        state.put("locker", locker);
        state.put("outbox", box.outboxSize());
        state.put("enclosureOpen", box.locker().tampered());
        state.put("onMains", box.power() == null ? null : box.power().onMains());
        return state;
    }

    private static void drain(InputStream body) throws IOException {
        body.transferTo(OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, Object body, String allow) {
        static Reply ok(Object body) {
            return new Reply(200, body, null);
        }

        static Reply error(int status, String message) {
            return new Reply(status, Map.of("error", message), null);
        }

        static Reply wrongMethod(String allowed) {
            return new Reply(405, Map.of("error", "method not allowed; use " + allowed), allowed);
        }
    }
}
