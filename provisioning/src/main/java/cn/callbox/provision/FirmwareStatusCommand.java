package cn.callbox.provision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.lwm2m.FirmwareUpdateObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code firmware status}: {@code GET /api/firmware/rollouts/{id}} as a table (the roll-out, then one row a box), or
 * {@code GET /api/firmware/rollouts} (one row a roll-out) without an id. Exit 0 whatever state the roll-out is in;
 * with {@code --wait} it polls every {@value #POLL_SECONDS} s until the roll-out is no longer running and exits 0
 * completed, 1 halted or cancelled.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows a roll-out: its state, wave and counts, then each box's wave, state, LwM2M result and "
                + "detail. Without ROLLOUT_ID: every roll-out, the newest first.",
            "A halted roll-out is shown like any other (exit 0) unless --wait is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown (with --wait: the roll-out completed)",
            "1:the hub refused the request (with --wait: the roll-out halted or was cancelled)",
            "2:usage or input error", "3:the hub did not answer"})
final class FirmwareStatusCommand implements Runnable {

    static final int POLL_SECONDS = 5;
    static final String RUNNING = "running";
    static final String[] BOX_HEADER = {"ENDPOINT", "WAVE", "STATE", "RESULT", "FROM", "UPDATED", "DETAIL"};
    static final String[] LIST_HEADER = {"ID", "FIRMWARE", "VERSION", "STATE", "WAVE", "BOXES", "CREATED"};

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Option(names = "--wait", description = "Poll every " + POLL_SECONDS + " s until the roll-out is no longer "
            + "running; exit 0 completed, 1 halted or cancelled (needs ROLLOUT_ID)")
    boolean waitForEnd;

    @Parameters(paramLabel = "ROLLOUT_ID", arity = "0..1", description = "The roll-out ('firmware rollout' printed "
            + "it); none: list them all")
    String id;

    FirmwareStatusCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        if (id == null) {
            if (waitForEnd) {
                throw CliException.usage("--wait needs a ROLLOUT_ID");
            }
            list(hubOptions.client(context));
            return;
        }
        checkId(id);
        HubClient client = hubOptions.client(context);
        JsonNode rollout = client.get("/api/firmware/rollouts/" + id);
        String progress = null;
        while (waitForEnd && RUNNING.equals(state(rollout))) {
            String now = progress(rollout);
            if (!now.equals(progress)) {
                context.out().println(now);
                context.out().flush();
                progress = now;
            }
            sleep(Duration.ofSeconds(POLL_SECONDS));
            rollout = client.get("/api/firmware/rollouts/" + id);
        }
        print(rollout);
        if (waitForEnd && !"completed".equals(state(rollout))) {
            throw new CliException(CliException.HUB_REFUSED, "roll-out " + id + " " + state(rollout)
                    + (rollout.hasNonNull("detail") ? ": " + rollout.get("detail").asText() : ""));
        }
    }

    /** An id goes into the request path: letters, digits, '.', '_', '-'. */
    static void checkId(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw CliException.usage("'" + id + "' is not a roll-out id");
        }
    }

    private void list(HubClient client) {
        JsonNode rollouts = client.get("/api/firmware/rollouts");
        if (rollouts == null || !rollouts.isArray()) {
            throw new CliException(CliException.HUB_REFUSED, "the hub's answer is not a list of roll-outs");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(LIST_HEADER);
        for (JsonNode rollout : rollouts) {
            rows.add(new String[] {text(rollout, "id"), text(rollout, "firmware"), text(rollout, "version"),
                state(rollout), wave(rollout), counts(rollout), text(rollout, "createdAt")});
        }
        Table.print(context.out(), rows);
        context.out().println(rollouts.size() + (rollouts.size() == 1 ? " roll-out" : " roll-outs"));
    }

    private void print(JsonNode rollout) {
        if (rollout == null || !rollout.isObject()) {
            throw new CliException(CliException.HUB_REFUSED, "the hub's answer is not a roll-out");
        }
        List<String[]> head = new ArrayList<>();
        head.add(new String[] {"roll-out", text(rollout, "id")});
        head.add(new String[] {"firmware", text(rollout, "firmware") + ", version " + text(rollout, "version")});
        head.add(new String[] {"state", state(rollout).toUpperCase(Locale.ROOT)
            + (rollout.hasNonNull("detail") ? ": " + rollout.get("detail").asText() : "")});
        head.add(new String[] {"wave", wave(rollout) + ", " + rollout.path("waveSize").asInt() + " boxes a wave"});
        head.add(new String[] {"created", text(rollout, "createdAt") + " by " + text(rollout, "createdBy")});
        if (rollout.hasNonNull("endedAt")) {
            head.add(new String[] {"ended", rollout.get("endedAt").asText()});
        }
        head.add(new String[] {"boxes", rollout.path("boxes").size() + ": " + counts(rollout)});
        Table.print(context.out(), head);
        context.out().println();
        List<String[]> rows = new ArrayList<>();
        rows.add(BOX_HEADER);
        for (JsonNode box : rollout.path("boxes")) {
            rows.add(new String[] {text(box, "endpoint"), text(box, "wave"), text(box, "state"), result(box),
                text(box, "fromVersion"), text(box, "updatedAt"), text(box, "detail")});
        }
        Table.print(context.out(), rows);
    }

    /** One line while waiting: {@code wave 1/2: 1 succeeded, 1 downloading, 2 pending}. */
    private static String progress(JsonNode rollout) {
        return "wave " + wave(rollout) + ": " + counts(rollout);
    }

    private static String state(JsonNode rollout) {
        return rollout == null ? "-" : rollout.path("state").asText("-");
    }

    private static String wave(JsonNode rollout) {
        return rollout.path("wave").asInt() + "/" + rollout.path("waves").asInt();
    }

    /** The counts that are not zero, in the hub's order: {@code 1 succeeded, 2 pending}; none: {@code -}. */
    static String counts(JsonNode rollout) {
        List<String> parts = new ArrayList<>();
        if (rollout == null) {
            return "-";
        }
        Iterator<Map.Entry<String, JsonNode>> fields = rollout.path("counts").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> count = fields.next();
            if (count.getValue().asInt() != 0) {
                parts.add(count.getValue().asInt() + " " + count.getKey());
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /** {@code 5 integrity-check-failed}: the object 5 Update Result code and its name. */
    static String result(JsonNode box) {
        if (!box.hasNonNull("result")) {
            return "-";
        }
        int code = box.get("result").asInt();
        return FirmwareUpdateObject.Result.of(code)
                .map(r -> code + " " + r.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .orElse(Integer.toString(code));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "-";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.HUB_UNREACHABLE, "interrupted while waiting for the roll-out");
        }
    }
}
