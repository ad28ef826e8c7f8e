package cn.callbox.hub.system;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import tools.jackson.databind.json.JsonMapper;

/**
 * The console's live feed: {@code GET /api/events} (text/event-stream) for every logged-in role. Events go out on one
 * delivery thread, in the order they were published, so a slow browser never holds up the alarm path; when the queue
 * is full (a stuck client) new events are dropped with a WARN and the page catches up on its next reload. A comment
 * line every 15 s keeps proxies from closing the stream and finds dead clients.
 */
@RestController
class ConsoleEventStream implements ConsoleFeed, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleEventStream.class);
    private static final long STREAM_TIMEOUT_MS = TimeUnit.HOURS.toMillis(1);
    private static final int QUEUE_LIMIT = 10_000;

    private static final Predicate<Caller> EVERYONE = caller -> true;

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(QUEUE_LIMIT), r -> daemon(r, "console-events"));
    private final ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "console-keepalive"));

    ConsoleEventStream() {
        keepAlive.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
    }

    private record Subscriber(SseEmitter emitter, Caller caller) {
    }

    @GetMapping(value = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter subscribe(Authentication authentication) throws IOException {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        Subscriber subscriber = new Subscriber(emitter, Caller.of(authentication));
        subscribers.add(subscriber);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        // the browser's EventSource reconnects 3 s after the stream ends (timeout, hub restart)
        emitter.send(SseEmitter.event().name("hello").reconnectTime(3000).data("{}", MediaType.APPLICATION_JSON));
        return emitter;
    }

    @Override
    public void publish(String event, Object payload) {
        deliver(event, payload, () -> null, EVERYONE);
    }

    @Override
    public void publishForUnits(String event, Object payload, Collection<String> units) {
        Set<String> scope = units == null ? Set.of() : Set.copyOf(units);
        deliver(event, payload, () -> scope, EVERYONE);
    }

    @Override
    public void publishForAdmins(String event, Object payload) {
        deliver(event, payload, () -> null, caller -> caller.role() == ConsoleRole.ADMIN);
    }

    @Override
    public void publishScoped(String event, Object payload, Supplier<? extends Collection<String>> units) {
        deliver(event, payload, () -> {
            Collection<String> scope = units.get();
            return scope == null ? Set.of() : Set.copyOf(scope);
        }, EVERYONE);
    }

    /** Subscribers now connected (for tests and the log). */
    int subscriberCount() {
        return subscribers.size();
    }

    /**
     * @param units worked out on the delivery thread; null there means every unit
     * @param audience whose pages may get it at all (before the unit scope)
     */
    private void deliver(String event, Object payload, Supplier<Set<String>> units, Predicate<Caller> audience) {
        try {
            delivery.execute(() -> send(event, payload, units, audience));
        } catch (RejectedExecutionException e) {
            LOG.warn("Console event {} dropped: delivery queue full or closed", event);
        }
    }

    private void send(String event, Object payload, Supplier<Set<String>> scope, Predicate<Caller> audience) {
        if (subscribers.isEmpty()) {
            return; // no page open: not even the payload is written
        }
        String data;
        Set<String> units;
        try {
            data = payload instanceof RawJson raw ? raw.json() : json.writeValueAsString(payload);
            units = scope.get();
        } catch (RuntimeException e) {
            LOG.error("Console event {} could not be prepared (JSON or its units)", event, e);
            return;
        }
        for (Subscriber subscriber : subscribers) {
            if (!audience.test(subscriber.caller())) {
                continue;
            }
            if (units != null && subscriber.caller().confinedToUnit()
                    .map(unit -> !units.contains(unit)).orElse(false)) {
                continue;
            }
            try {
                subscriber.emitter().send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                drop(subscriber);
            }
        }
    }

    private void ping() {
        try {
            delivery.execute(() -> {
                for (Subscriber subscriber : subscribers) {
                    try {
                        subscriber.emitter().send(SseEmitter.event().comment("keep-alive"));
                    } catch (IOException | IllegalStateException e) {
                        drop(subscriber);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Keep-alive skipped: delivery queue full or closed");
        }
    }

    private void drop(Subscriber subscriber) {
        subscribers.remove(subscriber);
        try {
            subscriber.emitter().complete();
        } catch (RuntimeException e) {
            LOG.debug("Closing a dead console stream: {}", e.toString());
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown starts, which would otherwise wait its whole
     * timeout for these never-ending requests; the pages reconnect to the next hub by themselves.
     */
    @Override
    public void stop() {
        running = false;
        keepAlive.shutdownNow();
        delivery.shutdownNow();
        for (Subscriber subscriber : subscribers) {
            try {
                subscriber.emitter().complete();
            } catch (RuntimeException e) {
                LOG.debug("Console stream already gone at shutdown: {}", e.toString());
            }
        }
        subscribers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first, before the web server (whose graceful shutdown runs in a lower phase). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
