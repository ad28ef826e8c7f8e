package cn.callbox.hub.bench.lwm2m;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N simulated call boxes in one JVM, registered in batches of concurrent handshakes, sharing one executor for
 * Leshan's scheduled work. Not thread-safe: create, register and close from one thread.
 */
public final class BenchFleet implements AutoCloseable {

    /** Concurrent DTLS handshakes + REGISTERs: enough to keep two cores busy, few enough not to time out. */
    private static final int BATCH = 50;

    private final ScheduledExecutorService shared = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "bench-leshan-client");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, BenchBox> boxes = new LinkedHashMap<>();

    /**
     * Creates and registers the boxes.
     *
     * @param keys pre-shared key by endpoint (the PSK identity is the endpoint)
     * @param timeout for the whole registration
     * @throws IllegalStateException when a box could not register in time; the boxes made so far are closed
     */
    public static BenchFleet register(URI serverUri, Map<String, byte[]> keys, Duration timeout)
            throws InterruptedException {
        BenchFleet fleet = new BenchFleet();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Map.Entry<String, byte[]>> all = new ArrayList<>(keys.entrySet());
            for (int from = 0; from < all.size(); from += BATCH) {
                List<CompletableFuture<Void>> batch = new ArrayList<>();
                for (Map.Entry<String, byte[]> key : all.subList(from, Math.min(from + BATCH, all.size()))) {
                    BenchBox box = new BenchBox(serverUri, key.getKey(), key.getValue(), fleet.shared);
                    fleet.boxes.put(box.endpoint(), box);
                    batch.add(box.start().registered());
                }
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            return fleet;
        } catch (ExecutionException e) {
            fleet.close();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            fleet.close();
            throw new IllegalStateException("Boxes not registered within " + timeout, e);
        } catch (InterruptedException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** The boxes in registration order. */
    public List<BenchBox> boxes() {
        return List.copyOf(boxes.values());
    }

    public BenchBox box(String endpoint) {
        return boxes.get(endpoint);
    }

    @Override
    public void close() {
        boxes.values().parallelStream().forEach(BenchBox::close);
        boxes.clear();
        shared.shutdownNow();
    }
}
