package cn.callbox.systemtest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A simulated call box: the edge jar with {@code --simulate}, driven through its simulator API. */
final class BoxProcess implements AutoCloseable {

    final String endpoint;
    final Path config;
    final int simPort = FreePorts.tcp();
    private JavaProcess process;

    BoxProcess(Path config) {
        this.config = config;
        String file = config.getFileName().toString();
        this.endpoint = file.substring(0, file.length() - ".properties".length());
    }

    BoxProcess start() {
        process = new JavaProcess("box-" + endpoint, Path.of(System.getProperty("callbox.edge.jar")),
                List.of("-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                new ArrayList<>(List.of("--config", config.toString(), "--simulate", "--sim-port",
                        String.valueOf(simPort))))
                .start();
        Await.until(endpoint + " serves its simulator API (log " + process.log() + ")", Duration.ofSeconds(60),
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(endpoint + " exited:\n" + HubProcess.tail(process.output()));
                    }
                    return sim().get("/state").status() == 200;
                });
        return this;
    }

    Http sim() {
        return new Http("http://127.0.0.1:" + simPort, null, null);
    }

    JsonNode state() {
        return Json.parse(HubProcess.expectOk(sim().get("/state")));
    }

    void press() {
        Http.Response response = sim().post("/button/press", null);
        if (response.status() / 100 != 2) {
            throw new AssertionError("press on " + endpoint + " failed: HTTP " + response.status());
        }
    }

    boolean sirenSounding() {
        return state().path("siren").path("sounding").asBoolean();
    }

    boolean registered() {
        return state().path("registered").asBoolean();
    }

    int outbox() {
        return state().path("outbox").asInt(-1);
    }

    String output() {
        return process.output();
    }

    void stop() {
        if (process != null) {
            process.stop();
        }
    }

    /** A power cut: no shutdown hooks run. */
    void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
