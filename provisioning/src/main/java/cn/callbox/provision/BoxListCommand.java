package cn.callbox.provision;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code box list}: the hub's boxes as a table. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the hub's call boxes: endpoint, village, place, unit, online, last seen.")
final class BoxListCommand implements Runnable {

    static final String[] HEADER = {"ENDPOINT", "VILLAGE", "PLACE", "UNIT", "ONLINE", "LAST SEEN"};

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    BoxListCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        JsonNode boxes = hubOptions.client(context).get("/api/callboxes");
        if (boxes == null || !boxes.isArray()) {
            throw new CliException(CliException.HUB_REFUSED, "the hub's answer is not a list of call boxes");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode box : boxes) {
            rows.add(new String[] {text(box, "endpoint"), text(box, "village"), text(box, "place"), text(box, "unit"),
                box.path("online").asBoolean(false) ? "yes" : "no", text(box, "lastSeen")});
        }
        Table.print(context.out(), rows);
        context.out().println(boxes.size() + (boxes.size() == 1 ? " call box" : " call boxes"));
    }

    private static String text(JsonNode box, String field) {
        return box.hasNonNull(field) ? box.get(field).asText() : "-";
    }
}
