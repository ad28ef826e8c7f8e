package cn.callbox.provision;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code firmware cancel}: {@code POST /api/firmware/rollouts/{id}/cancel}. Boxes not yet updated stay as they are,
 * downloads under way are stopped, a box already installing finishes. A roll-out that is not running is refused by the
 * hub (409, exit 1).
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels a running roll-out: boxes not yet updated stay as they are, downloads under way "
                + "are stopped, a box already installing finishes.")
final class FirmwareCancelCommand implements Runnable {

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Parameters(paramLabel = "ROLLOUT_ID", description = "The roll-out ('firmware rollout' printed it)")
    String id;

    FirmwareCancelCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        FirmwareStatusCommand.checkId(id);
        JsonNode rollout = hubOptions.client(context).post("/api/firmware/rollouts/" + id + "/cancel", null);
        context.out().println("roll-out " + id + " " + (rollout == null ? "cancelled"
                : rollout.path("state").asText("cancelled")) + ": " + FirmwareStatusCommand.counts(rollout));
    }
}
