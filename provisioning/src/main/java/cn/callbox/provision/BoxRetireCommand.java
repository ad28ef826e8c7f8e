package cn.callbox.provision;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code box retire}: the hub retires the box; its key stops working at once. */
@Command(name = "retire", mixinStandardHelpOptions = true,
        description = "Retires a box: the hub refuses its key at once. Its id is never used again.")
final class BoxRetireCommand implements Runnable {

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Parameters(paramLabel = "ENDPOINT", description = "The box's endpoint id")
    String endpoint;

    BoxRetireCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        DeviceIdentity.checkEndpoint(endpoint);
        hubOptions.client(context).delete("/api/callboxes/" + endpoint);
        context.out().println("retired " + endpoint);
    }
}
