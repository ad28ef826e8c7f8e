package cn.callbox.provision;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code box enrol}: sends an enrolment that {@code box new --export} wrote. The endpoint id is the last line. */
@Command(name = "enrol", mixinStandardHelpOptions = true,
        description = "Enrols a box from an enrolment file written by 'box new --export'. Prints the endpoint id as "
                + "the last line.")
final class BoxEnrolCommand implements Runnable {

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Parameters(paramLabel = "FILE", description = "The enrolment file (JSON)")
    Path file;

    BoxEnrolCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        JsonNode request;
        try {
            request = HubClient.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw CliException.usage("cannot read the enrolment file " + file + ": " + e.getMessage());
        }
        for (String field : new String[] {"endpoint", "village", "point", "lat", "lon", "pskIdentity", "pskKey"}) {
            if (request == null || !request.hasNonNull(field)) {
                throw CliException.usage(file + " is not an enrolment: '" + field + "' is missing");
            }
        }
        String endpoint = DeviceIdentity.checkEndpoint(request.get("endpoint").asText());
        JsonNode answer = hubOptions.client(context).post("/api/callboxes", request);
        context.out().println("enrolled " + endpoint + ": village " + answer.path("village").asText("-") + ", point "
                + answer.path("point").asText("-") + ", unit " + answer.path("unit").asText("-") + ", hub "
                + answer.path("hubUri").asText("-"));
        context.out().println(endpoint);
    }
}
