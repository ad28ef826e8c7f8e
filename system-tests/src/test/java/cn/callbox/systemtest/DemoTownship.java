package cn.callbox.systemtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One hub with the demo township and its five simulated call boxes, all online, shared by the test classes that
 * declare {@code @ExtendWith(DemoTownship.Shared.class)} and take it as a constructor parameter. Started once per
 * test run (starting a hub and five boxes costs tens of seconds on two cores) and stopped at the end of the run.
 * Escalation is set to a few seconds so that it can be watched from outside.
 */
final class DemoTownship {

    static final Duration ESCALATION_DELAY = Duration.ofSeconds(5);

    final HubProcess hub;
    final List<BoxProcess> boxes = new ArrayList<>();

    private DemoTownship(HubProcess hub) {
        this.hub = hub;
    }

    BoxProcess box(String endpoint) {
        return boxes.stream().filter(b -> b.endpoint.equals(endpoint)).findFirst()
                .orElseThrow(() -> new AssertionError("no demo box " + endpoint));
    }

    /** Hands the shared township to the tests, starting it at the first request. */
    static final class Shared implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == DemoTownship.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent("demo-township", key -> new Running(start()), Running.class).township;
        }
    }

    private static DemoTownship start() {
        Path data;
        try {
            data = Files.createTempDirectory("callbox-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HubProcess hub = new HubProcess(data, "--callbox.dispatch.escalation-delay=" + ESCALATION_DELAY.toSeconds() + "s")
                .start();
        DemoTownship township = new DemoTownship(hub);
        try {
            for (Path config : hub.boxConfigs()) {
                township.boxes.add(new BoxProcess(config).start());
            }
            for (BoxProcess box : township.boxes) {
                Await.until(box.endpoint + " online at the hub", Duration.ofSeconds(60), () -> hub.isOnline(box.endpoint));
            }
        } catch (RuntimeException | AssertionError e) {
            township.stop();
            throw e;
        }
        return township;
    }

    private void stop() {
        boxes.forEach(BoxProcess::stop);
        hub.stop();
    }

    /** Stops the township when the test run ends. */
    private record Running(DemoTownship township) implements AutoCloseable {
        @Override
        public void close() {
            township.stop();
        }
    }
}
