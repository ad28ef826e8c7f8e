package cn.callbox.provision;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code firmware rollout}: {@code POST /api/firmware/rollouts} {@code {"firmware","endpoints"?,"waveSize"?}}. The
 * hub updates the boxes a wave at a time and halts at the end of a wave with a failed box. The last line of stdout is
 * the roll-out id (for {@code firmware status}).
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Starts a roll-out of an uploaded firmware package to the call boxes, a wave at a time; a "
                + "failed box halts it at the end of its wave.",
            "Prints the roll-out id as the last line (for 'firmware status')."})
final class FirmwareRolloutCommand implements Runnable {

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Option(names = "--firmware", paramLabel = "ID", required = true,
            description = "The package id 'firmware upload' printed")
    String firmware;

    @Option(names = "--wave-size", paramLabel = "N",
            description = "Boxes updated at a time (default: the hub's, 5)")
    Integer waveSize;

    @Option(names = "--endpoint", paramLabel = "EP",
            description = "A box to update, in this order; may be repeated (default: every enrolled box)")
    List<String> endpoints;

    FirmwareRolloutCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (firmware.isBlank()) {
            throw CliException.usage("--firmware must not be blank");
        }
        if (waveSize != null && waveSize < 1) {
            throw CliException.usage("--wave-size must be at least 1, got " + waveSize);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("firmware", firmware.strip());
        if (endpoints != null) {
            request.put("endpoints", endpoints.stream().map(DeviceIdentity::checkEndpoint).toList());
        }
        if (waveSize != null) {
            request.put("waveSize", waveSize);
        }
        JsonNode rollout = hubOptions.client(context).post("/api/firmware/rollouts", request);
        if (rollout == null || !rollout.hasNonNull("id")) {
            throw new CliException(CliException.HUB_REFUSED, "the hub's answer names no roll-out id");
        }
        int boxes = rollout.path("boxes").size();
        context.out().println("roll-out " + rollout.get("id").asText() + " started: firmware "
                + rollout.path("firmware").asText("-") + " version " + rollout.path("version").asText("-") + " to "
                + boxes + (boxes == 1 ? " box" : " boxes") + " in " + rollout.path("waves").asInt() + " wave"
                + (rollout.path("waves").asInt() == 1 ? "" : "s") + " of " + rollout.path("waveSize").asInt());
        context.out().println(rollout.get("id").asText());
    }
}
