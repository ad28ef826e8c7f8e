package cn.callbox.hub.mqtt;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's own MQTT 5 client (Paho): QoS 1, automatic reconnect, acks subscription renewed on every (re)connect, and
 * publishing that never blocks and never drops a message silently.
 * <p>
 * Delivery: {@link #publish} hands the message to one worker thread and returns. The worker passes it to Paho; while
 * the connection is down after having been up, Paho keeps it in its disconnected buffer and sends it on reconnect.
 * Anything Paho refuses for now (not connected yet, too many publishes in flight, buffer full) stays in this client's
 * own queue and is retried; a full Paho buffer and an overflowing own queue are logged at ERROR. A publish that fails
 * in flight is queued again (QoS 1 is at-least-once: a duplicate is possible, a loss is not). A publish the broker
 * refuses (PUBACK reason 0x80 and above, e.g. not authorised) is logged at ERROR and not retried.
 * <p>
 * Threading: {@link #publish} may be called from any thread. {@link MessageSink#messageArrived} runs on Paho's
 * callback thread and must return quickly; exceptions from it are logged, never passed to Paho (which would drop the
 * connection).
 */
final class HubMqttClient implements MqttCallback, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HubMqttClient.class);
    /** Paho's own offline buffer; past it messages wait in {@link #pending}. */
    static final int PAHO_BUFFER_SIZE = 5_000;
    /** This client's own queue; past it the oldest message is dropped with an ERROR log. */
    static final int MAX_PENDING = 100_000;
    private static final long INFLIGHT_RETRY_MS = 20;
    private static final long OFFLINE_RETRY_MS = 1_000;
    private static final int QOS = 1;
    private static final long RESUBSCRIBE_S = 5;

    /** Receives the messages of the hub's subscriptions. */
    interface MessageSink {
        void messageArrived(String topic, byte[] payload);
    }

    /**
     * @param serverUri {@code tcp://host:port}
     * @param clientId MQTT client id, unique per hub instance
     * @param username null for none
     * @param password null for none
     * @param subscriptions filters to subscribe (QoS 1) after every connect; a shared filter that the broker refuses
     *        is replaced by its plain form
     */
    record Settings(String serverUri, String clientId, String username, byte[] password, String... subscriptions) {
        Settings {
            Objects.requireNonNull(serverUri, "serverUri");
            Objects.requireNonNull(clientId, "clientId");
            subscriptions = subscriptions == null ? new String[0] : subscriptions.clone();
        }

        @Override
        public String toString() {
            return "Settings[" + serverUri + ", client " + clientId + ", user " + username + ", subscriptions "
                    + Arrays.toString(subscriptions) + "]";
        }
    }

    /** One message on its way; expiry null for none. */
    private record Outgoing(String topic, byte[] payload, boolean retained, Long expirySeconds) {
    }

    private final Settings settings;
    private final MessageSink sink;
    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final ScheduledExecutorService worker;
    /** Touched only on the worker thread. */
    private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final CountDownLatch firstConnect = new CountDownLatch(1);
    /** Counts down once per granted subscription of the latest connection. */
    private volatile CountDownLatch subscriptionsGranted;
    private boolean drainScheduled;
    private boolean bufferFullReported;
    private volatile boolean everConnected;
    private volatile boolean closed;

    HubMqttClient(Settings settings, MessageSink sink) {
        this.settings = settings;
        this.sink = Objects.requireNonNull(sink, "sink");
        try {
            this.client = new MqttAsyncClient(settings.serverUri(), settings.clientId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("bad MQTT settings " + settings + ": " + e.getMessage(), e);
        }
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(PAHO_BUFFER_SIZE);
        buffer.setPersistBuffer(false);
        buffer.setDeleteOldestMessages(false);
        client.setBufferOpts(buffer);
        client.setCallback(this);
        options = new MqttConnectionOptions();
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        // Keep the session (acks queued for us, QoS 1 in flight) across short outages.
        options.setCleanStart(false);
        options.setSessionExpiryInterval(600L);
        options.setKeepAliveInterval(20);
        options.setConnectionTimeout(10);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().clone());
        }
        subscriptionsGranted = new CountDownLatch(settings.subscriptions().length);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "callbox-mqtt-publisher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting in the background; retries until the broker answers. Returns at once. */
    void start() {
        worker.execute(() -> connect(1));
    }

    /** Waits for the first successful connection; true if it happened within {@code timeout}. */
    boolean awaitConnected(Duration timeout) throws InterruptedException {
        return firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until every subscription of the current connection is granted (acks can be received); true if that
     * happened within {@code timeout}.
     */
    boolean awaitSubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!firstConnect.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        long left = Math.max(0, deadline - System.nanoTime());
        return subscriptionsGranted.await(left, TimeUnit.NANOSECONDS);
    }

    /** Whether the client is connected right now. */
    boolean isConnected() {
        return client.isConnected();
    }

    /** Messages accepted by {@link #publish} that Paho has not taken yet (not counting Paho's own buffer). */
    int queuedMessages() {
        return queued.get();
    }

    /**
     * Publishes at QoS 1 without waiting.
     *
     * @param expiry MQTT 5 message expiry, null for none (whole seconds; at least 1 s)
     */
    void publish(String topic, byte[] payload, boolean retained, Duration expiry) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Long expirySeconds = expiry == null ? null : Math.max(1L, expiry.toSeconds());
        enqueue(new Outgoing(topic, payload.clone(), retained, expirySeconds));
    }

    private void enqueue(Outgoing message) {
        if (closed) {
            LOG.error("MQTT message to {} not published: the hub's MQTT client is closed", message.topic());
            return;
        }
        queued.incrementAndGet();
        try {
            worker.execute(() -> {
                if (pending.size() >= MAX_PENDING) {
                    Outgoing dropped = pending.poll();
                    queued.decrementAndGet();
                    LOG.error("MQTT queue full ({} messages): dropped the oldest, to {}", MAX_PENDING, dropped.topic());
                }
                pending.add(message);
                drain();
            });
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            LOG.error("MQTT message to {} not published: {}", message.topic(), e.toString());
        }
    }

    /** Worker thread only. */
    private void drain() {
        while (!pending.isEmpty() && !closed) {
            Outgoing message = pending.peek();
            try {
                client.publish(message.topic(), toMqtt(message), message, deliveryListener);
                pending.poll();
                queued.decrementAndGet();
                bufferFullReported = false;
            } catch (MqttException e) {
                switch (e.getReasonCode()) {
                    case MqttClientException.REASON_CODE_MAX_INFLIGHT -> {
                        scheduleDrain(INFLIGHT_RETRY_MS);
                        return;
                    }
                    case MqttClientException.REASON_CODE_DISCONNECTED_BUFFER_FULL -> {
                        if (!bufferFullReported) {
                            bufferFullReported = true;
                            LOG.error("MQTT broker unreachable and Paho's offline buffer is full ({} messages); "
                                    + "{} more are waiting in the hub", PAHO_BUFFER_SIZE, pending.size());
                        }
                        scheduleDrain(OFFLINE_RETRY_MS);
                        return;
                    }
                    case MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED,
                            MqttClientException.REASON_CODE_CLIENT_DISCONNECTING,
                            MqttClientException.REASON_CODE_CONNECTION_LOST,
                            MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS,
                            MqttException.REASON_CODE_CLIENT_EXCEPTION -> {
                        // not connected yet (Paho buffers only after a first connection): wait for connectComplete
                        scheduleDrain(OFFLINE_RETRY_MS);
                        return;
                    }
                    case MqttClientException.REASON_CODE_CLIENT_CLOSED -> {
                        return;
                    }
                    default -> {
                        pending.poll();
                        queued.decrementAndGet();
                        LOG.error("MQTT message to {} cannot be published and is dropped: {}", message.topic(),
                                e.toString());
                    }
                }
            }
        }
    }

    private void scheduleDrain(long delayMs) {
        if (drainScheduled || closed) {
            return;
        }
        drainScheduled = true;
        worker.schedule(() -> {
            drainScheduled = false;
            drain();
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private static MqttMessage toMqtt(Outgoing message) {
        MqttMessage mqtt = new MqttMessage(message.payload());
        mqtt.setQos(QOS);
        mqtt.setRetained(message.retained());
        if (message.expirySeconds() != null) {
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval(message.expirySeconds());
            mqtt.setProperties(properties);
        }
        return mqtt;
    }

    private final MqttActionListener deliveryListener = new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            int refused = firstRefusal(token.getReasonCodes());
            if (refused >= 0 && token.getUserContext() instanceof Outgoing message) {
                LOG.error("MQTT broker refused the message to {} (reason 0x{})", message.topic(),
                        Integer.toHexString(refused));
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable cause) {
            if (!(token.getUserContext() instanceof Outgoing message)) {
                return;
            }
            int code = cause instanceof MqttException e ? e.getReasonCode() : -1;
            if (code >= 0x80 && code <= 0xFF) {
                LOG.error("MQTT broker refused the message to {} (reason 0x{})", message.topic(),
                        Integer.toHexString(code));
            } else if (!closed) {
                LOG.warn("MQTT message to {} failed in flight ({}); queued again", message.topic(), String.valueOf(cause));
                enqueue(message);
            }
        }
    };

    private static int firstRefusal(int[] reasonCodes) {
        if (reasonCodes != null) {
            for (int code : reasonCodes) {
                if (code >= 0x80) {
                    return code;
                }
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ connection

    /** Worker thread. Paho reconnects by itself only after a first successful connection, so retry until then. */
    private void connect(int attempt) {
        if (closed || everConnected) {
            return;
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete does the rest
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    retryConnect(attempt, cause);
                }
            });
        } catch (MqttException e) {
            if (e.getReasonCode() == MqttClientException.REASON_CODE_CLIENT_CONNECTED
                    || e.getReasonCode() == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS) {
                return;
            }
            retryConnect(attempt, e);
        }
    }

    private void retryConnect(int attempt, Throwable cause) {
        if (closed) {
            return;
        }
        long delayMs = Math.min(30_000L, 500L * (1L << Math.min(attempt, 6)));
        if (attempt == 1 || attempt % 10 == 0) {
            LOG.warn("MQTT broker {} not reachable yet ({}); retrying every few seconds", settings.serverUri(),
                    String.valueOf(cause));
        }
        try {
            worker.schedule(() -> connect(attempt + 1), delayMs, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            LOG.debug("not retrying the MQTT connection: {}", e.toString());
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
        everConnected = true;
        LOG.info("MQTT client {} {} to {}", settings.clientId(), reconnect ? "reconnected" : "connected", serverUri);
        CountDownLatch granted = new CountDownLatch(settings.subscriptions().length);
        subscriptionsGranted = granted;
        for (String filter : settings.subscriptions()) {
            subscribe(filter, granted);
        }
        firstConnect.countDown();
        try {
            worker.execute(this::drain);
        } catch (RuntimeException e) {
            LOG.debug("not draining: {}", e.toString());
        }
    }

    private void subscribe(String filter, CountDownLatch granted) {
        try {
            client.subscribe(filter, QOS, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int refused = firstRefusal(token.getReasonCodes());
                    if (refused >= 0) {
                        subscriptionFailed(filter, "reason 0x" + Integer.toHexString(refused), granted);
                    } else {
                        LOG.info("MQTT subscribed to {}", filter);
                        granted.countDown();
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    subscriptionFailed(filter, String.valueOf(cause), granted);
                }
            });
        } catch (MqttException e) {
            subscriptionFailed(filter, e.toString(), granted);
        }
    }

    private void subscriptionFailed(String filter, String why, CountDownLatch granted) {
        String plain = plainFilter(filter);
        if (plain != null) {
            LOG.warn("MQTT broker refused the shared subscription {} ({}); subscribing to {} instead", filter, why,
                    plain);
            subscribe(plain, granted);
        } else {
            LOG.error("MQTT subscription to {} failed ({}); retrying in {} s", filter, why, RESUBSCRIBE_S);
            try {
                worker.schedule(() -> {
                    if (!closed && granted == subscriptionsGranted && client.isConnected()) {
                        subscribe(filter, granted);
                    }
                }, RESUBSCRIBE_S, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                LOG.debug("not resubscribing: {}", e.toString());
            }
        }
    }

    /** {@code $share/g/f} to {@code f}; null for a plain filter. */
    static String plainFilter(String filter) {
        if (!filter.startsWith("$share/")) {
            return null;
        }
        int slash = filter.indexOf('/', "$share/".length());
        return slash < 0 ? null : filter.substring(slash + 1);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        if (!closed) {
            LOG.warn("MQTT connection to {} lost ({}); reconnecting, messages are buffered meanwhile",
                    settings.serverUri(), response == null ? "?" : String.valueOf(response.getException()));
        }
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        LOG.warn("MQTT error: {}", exception.toString());
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        try {
            sink.messageArrived(topic, message.getPayload());
        } catch (RuntimeException e) {
            LOG.warn("MQTT message on {} could not be handled; ignored", topic, e);
        }
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // per-message outcome is handled by deliveryListener
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication
    }

    /** Disconnects (waiting up to 2 s for in-flight messages) and stops the worker. Idempotent; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.shutdownNow();
        int left = queued.get();
        if (left > 0) {
            LOG.warn("MQTT client closing with {} messages not yet handed to the broker", left);
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT disconnect: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }
}
