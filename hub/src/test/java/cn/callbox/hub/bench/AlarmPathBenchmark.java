package cn.callbox.hub.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import org.eclipse.leshan.core.response.SendResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import ch.qos.logback.classic.Level;
import cn.callbox.hub.HubApplication;
import cn.callbox.hub.bench.lwm2m.BareServer;
import cn.callbox.hub.bench.lwm2m.BenchBox;
import cn.callbox.hub.bench.lwm2m.BenchEnablers;
import cn.callbox.hub.bench.lwm2m.BenchFleet;
import cn.callbox.hub.device.DeviceEndpoint;
import cn.callbox.hub.mqtt.MqttEndpoint;
import cn.callbox.hub.mqtt.TestClients;
import cn.callbox.hub.readiness.ReadinessService;
import cn.callbox.hub.registry.RegistryService;
import cn.callbox.protocol.AlertRole;
import cn.callbox.protocol.mqtt.UnitAlert;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The alarm-path benchmark: N simulated call boxes over DTLS, K sequential presses, latency percentiles of the hub's
 * alarm path beside a baseline measured in the same run (the same Send round trip on a bare Leshan server). Run it
 * with {@code ./benchmark --boxes N [--presses K]}; {@code docs/benchmarks.md} says what each figure means.
 * <p>
 * One JVM, two phases. Baseline: a {@link BareServer}, N boxes registered, K presses timed from just before the Send
 * to its 2.04 Changed. Hub: the whole hub started in-process (fresh data dir, free ports, not the demo profile), a
 * synthetic township ({@link SyntheticDistrict}) imported through {@link RegistryService}, the same N boxes
 * registered, an MQTT 5 admin subscribed to every unit's alerts, then K presses; each is timed to its Send answer
 * (the hub records the incident before it answers), to the call status {@code received} written to the pressing box,
 * to the pressing box's siren Start, and to the primary unit's MQTT alert. Presses are sequential, each waits for all
 * its events, then a short gap: the figures are latencies of one alarm at a time, not throughput under a queue. The
 * first presses of each phase warm the JIT up and are not counted.
 */
public final class AlarmPathBenchmark {

    private static final Logger LOG = LoggerFactory.getLogger(AlarmPathBenchmark.class);
    /** How long one event of a press may take before it is counted as missed. */
    private static final Duration EVENT_DEADLINE = Duration.ofSeconds(10);
    private static final Duration READINESS_DEADLINE = Duration.ofSeconds(120);

    private final Options options;
    private final PrintStream out;
    private final Random random;

    private AlarmPathBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(Options.USAGE);
            return;
        }
        quietLogging();
        int status = 0;
        try {
            new AlarmPathBenchmark(options, System.out).run();
        } catch (Exception e) {
            LOG.error("Benchmark failed", e);
            System.err.println("Benchmark failed: " + e);
            status = 1;
        }
        // the hub's broker and Leshan leave non-daemon threads behind after close
        System.exit(status);
    }

    /** Californium logs each handshake; the hub logs each alarm. Only warnings matter here. */
    private static void quietLogging() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    private void run() throws Exception {
        SyntheticDistrict district = SyntheticDistrict.of(options.boxes(), LocalDate.now(ZoneOffset.UTC), random);
        out.printf("Alarm path benchmark: N=%d boxes, K=%d presses (+%d warm-up), %d ms between presses, seed %d%n",
                options.boxes(), options.presses(), options.warmup(), options.gap().toMillis(), options.seed());

        Latencies baseline = new Latencies("baseline: Send -> 2.04 (bare Leshan)");
        Phase bare = baseline(district, baseline);

        Latencies incident = new Latencies("press -> incident (Send -> 2.04, hub)");
        Latencies received = new Latencies("press -> call status 'received'");
        Latencies siren = new Latencies("press -> siren Start (pressing box)");
        Latencies alert = new Latencies("press -> MQTT alert (primary unit)");
        Phase hub = hub(district, incident, received, siren, alert);

        out.println();
        new Report(baseline, List.of(incident, received, siren, alert)).print(out);
        out.printf("%nregistration of %d boxes: baseline %.1f s, hub %.1f s (batches of concurrent DTLS handshakes)%n",
                options.boxes(), bare.registrationSeconds(), hub.registrationSeconds());
        out.printf("JVM after registration: baseline %d MiB heap used, %d threads; hub %d MiB heap used, %d threads%n",
                bare.heapMiB(), bare.threads(), hub.heapMiB(), hub.threads());
        out.printf("units ready before the presses: %d of %d%n", hub.readyUnits(), district.unitIds().size());
    }

    /** What a phase measured besides latencies. */
    private record Phase(double registrationSeconds, long heapMiB, int threads, int readyUnits) {
    }

    private Phase baseline(SyntheticDistrict district, Latencies send) throws InterruptedException {
        out.println("[baseline] bare Leshan server, registering boxes...");
        try (BareServer server = new BareServer(district.keys())) {
            long start = System.nanoTime();
            try (BenchFleet fleet = BenchFleet.register(server.uri(), district.keys(), registrationTimeout())) {
                double seconds = seconds(System.nanoTime() - start);
                Phase phase = new Phase(seconds, heapMiB(), threads(), 0);
                out.printf("[baseline] %d boxes registered in %.1f s; pressing...%n", options.boxes(), seconds);
                List<BenchBox> boxes = fleet.boxes();
                for (int i = 0; i < options.warmup() + options.presses(); i++) {
                    BenchBox box = boxes.get(random.nextInt(boxes.size()));
                    long t0 = System.nanoTime();
                    SendResponse response = box.press(Instant.now());
                    long answered = System.nanoTime();
                    if (i >= options.warmup()) {
                        if (response != null && response.isSuccess()) {
                            send.add(answered - t0);
                        } else {
                            send.missed();
                            LOG.warn("Baseline Send from {} answered {}", box.endpoint(), describe(response));
                        }
                    }
                    pause();
                }
                return phase;
            }
        }
    }

    private Phase hub(SyntheticDistrict district, Latencies incident, Latencies received, Latencies siren,
            Latencies alert) throws Exception {
        out.println("[hub] starting the hub in-process...");
        Path dataDir = Files.createTempDirectory("callbox-bench-");
        String adminPassword = HexFormat.of().formatHex(randomBytes(16));
        ConfigurableApplicationContext context = new SpringApplication(HubApplication.class).run(
                "--callbox.data-dir=" + dataDir, "--callbox.township=" + SyntheticDistrict.TOWNSHIP,
                "--server.port=0", "--callbox.lwm2m.port=0", "--callbox.lwm2m.address=127.0.0.1",
                "--callbox.mqtt.port=0", "--CALLBOX_ADMIN_PASSWORD=" + adminPassword,
                // no escalation alerts from earlier incidents may land among the measured ones
                "--callbox.dispatch.escalation-delay=24h",
                // each incident is closed after its press is measured, so that the next press at the box raises a
                // new one; random presses may hit one box more often than the field's 3 incidents a minute
                "--callbox.alarms.max-incidents-per-box-per-minute=20",
                "--logging.level.root=WARN", "--logging.level.cn.callbox=WARN");
        try {
            context.getBean(RegistryService.class).importTownship(district.seed());
            URI lwm2m = context.getBean(DeviceEndpoint.class).secureUri();
            MqttEndpoint mqtt = context.getBean(MqttEndpoint.class);
            try (TestClients.V5 admin = TestClients.V5.connect(mqtt.serverUri(), "admin", adminPassword)) {
                int granted = admin.subscribe("callbox/" + SyntheticDistrict.TOWNSHIP + "/units/+/alerts");
                if (granted >= 0x80) {
                    throw new IllegalStateException("The admin's alert subscription was refused: " + granted);
                }
                out.println("[hub] registering boxes...");
                long start = System.nanoTime();
                try (BenchFleet fleet = BenchFleet.register(lwm2m, district.keys(), registrationTimeout())) {
                    double seconds = seconds(System.nanoTime() - start);
                    int ready = awaitReadiness(context.getBean(ReadinessService.class), district.unitIds());
                    Phase phase = new Phase(seconds, heapMiB(), threads(), ready);
                    out.printf("[hub] %d boxes registered in %.1f s, %d of %d units ready; pressing...%n",
                            options.boxes(), seconds, ready, district.unitIds().size());
                    IncidentCloser closer = new IncidentCloser(
                            context.getEnvironment().getRequiredProperty("local.server.port", Integer.class),
                            adminPassword);
                    press(fleet.boxes(), admin, closer, incident, received, siren, alert);
                    return phase;
                }
            }
        } finally {
            context.close();
            deleteQuietly(dataDir);
        }
    }

    private void press(List<BenchBox> boxes, TestClients.V5 admin, IncidentCloser closer, Latencies incident,
            Latencies received, Latencies siren, Latencies alert) throws InterruptedException {
        JsonMapper json = JsonMapper.builder().build();
        for (int i = 0; i < options.warmup() + options.presses(); i++) {
            boolean counted = i >= options.warmup();
            BenchBox box = boxes.get(random.nextInt(boxes.size()));
            admin.received.clear();
            long t0 = System.nanoTime();
            SendResponse response = box.press(Instant.now());
            long recorded = System.nanoTime();
            if (response == null || !response.isSuccess()) {
                LOG.warn("Send from {} answered {}", box.endpoint(), describe(response));
                if (counted) {
                    Stream.of(incident, received, siren, alert).forEach(Latencies::missed);
                }
                pause();
                continue;
            }
            long deadline = t0 + EVENT_DEADLINE.toNanos();
            // the alert is stamped when taken from the queue, so wait for it first; the box stamps its own events
            Alerted alerted = awaitAlert(admin, json, box.endpoint(), deadline);
            long receivedAt = awaitAfter(box::lastReceivedNanos, t0, deadline);
            long sirenAt = awaitAfter(box::lastSirenStartNanos, t0, deadline);
            if (counted) {
                incident.add(recorded - t0);
                record(received, receivedAt, t0);
                record(siren, sirenAt, t0);
                record(alert, alerted.at(), t0);
            }
            // an operator closes it: a next press at this box is a new emergency, not a press joining this one
            closer.close(alerted.incidentId());
            pause();
        }
    }

    private static void record(Latencies latencies, long at, long t0) {
        if (at == BenchEnablers.NEVER) {
            latencies.missed();
        } else {
            latencies.add(at - t0);
        }
    }

    /** When the primary unit's alert for a press was taken (NEVER by the deadline), and its incident (or null). */
    private record Alerted(long at, String incidentId) {
        static final Alerted NEVER = new Alerted(BenchEnablers.NEVER, null);
    }

    /** The primary unit's alert for a press at {@code endpoint}, or {@link Alerted#NEVER} by the deadline. */
    private static Alerted awaitAlert(TestClients.V5 admin, JsonMapper json, String endpoint, long deadline)
            throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Alerted.NEVER;
            }
            TestClients.Received message = admin.received.poll(left, TimeUnit.NANOSECONDS);
            if (message == null) {
                return Alerted.NEVER;
            }
            long taken = System.nanoTime();
            try {
                UnitAlert unitAlert = json.readValue(message.payload(), UnitAlert.class);
                if (endpoint.equals(unitAlert.callbox()) && AlertRole.PRIMARY.wireName().equals(unitAlert.role())) {
                    return new Alerted(taken, unitAlert.incidentId());
                }
            } catch (JacksonException e) {
                LOG.warn("Unreadable alert on {}: {}", message.topic(), e.getOriginalMessage());
            }
        }
    }

    /** Polls a time the box recorded until it is after {@code t0}; NEVER by the deadline. */
    private static long awaitAfter(LongSupplier recorded, long t0, long deadline) {
        while (true) {
            long at = recorded.getAsLong();
            if (at != BenchEnablers.NEVER && at - t0 > 0) {
                return at;
            }
            if (System.nanoTime() - deadline > 0) {
                return BenchEnablers.NEVER;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    /** Waits until every unit is ready (the hub has observed each box's locker); returns how many are. */
    private static int awaitReadiness(ReadinessService readiness, List<String> units) {
        long deadline = System.nanoTime() + READINESS_DEADLINE.toNanos();
        List<String> waiting = new ArrayList<>(units);
        while (true) {
            waiting.removeIf(unit -> readiness.readinessOf(unit).ready());
            if (waiting.isEmpty() || System.nanoTime() - deadline > 0) {
                if (!waiting.isEmpty()) {
                    LOG.warn("{} units not ready after {}; e.g. {}: {}", waiting.size(), READINESS_DEADLINE,
                            waiting.get(0), readiness.readinessOf(waiting.get(0)).problems());
                }
                return units.size() - waiting.size();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Paces presses; a measured event is never waited for this way. */
    private void pause() {
        LockSupport.parkNanos(options.gap().toNanos());
    }

    private Duration registrationTimeout() {
        return Duration.ofSeconds(60 + options.boxes() / 5);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String describe(SendResponse response) {
        return response == null ? "nothing (timeout)" : response.getCode() + " " + response.getErrorMessage();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long heapMiB() {
        Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    /**
     * Command-line options.
     *
     * @param warmup presses before the measured ones, per phase
     * @param gap pause after each press
     */
    record Options(int boxes, int presses, int warmup, Duration gap, long seed) {

        static final String USAGE = """
                usage: ./benchmark --boxes N [--presses K] [--warmup W] [--gap-ms MS] [--seed S]
                  --boxes    simulated call boxes registered over DTLS (default 100)
                  --presses  measured presses, sequential, on random boxes (default 200)
                  --warmup   presses before the measured ones in each phase, not counted (default 20)
                  --gap-ms   pause after each press (default 20)
                  --seed     seed of the random box choice and keys (default 1)""";

        Options {
            if (boxes < 1 || presses < 1 || warmup < 0 || gap.isNegative()) {
                throw new IllegalArgumentException("boxes and presses must be at least 1, warm-up and gap not "
                        + "negative");
            }
        }

        /** @return the options, or null when help was asked for */
        static Options parse(String[] args) {
            int boxes = 100;
            int presses = 200;
            int warmup = 20;
            long gapMillis = 20;
            long seed = 1;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    return null;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String value = args[++i];
                try {
                    switch (name) {
                    case "--boxes" -> boxes = Integer.parseInt(value);
                    case "--presses" -> presses = Integer.parseInt(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--gap-ms" -> gapMillis = Long.parseLong(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number after " + name + ": " + value);
                }
            }
            return new Options(boxes, presses, warmup, Duration.ofMillis(gapMillis), seed);
        }
    }
}
