package cn.callbox.provision;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code box rotate-key}: a new PSK for a box, sent to the hub ({@code PUT /api/callboxes/{endpoint}/key}), and
 * written into the box's bundle {@code DIR/ENDPOINT.properties}, keeping its other lines. The new bundle is written
 * beside the old one before the hub call and takes its place only when the hub took the key.
 */
@Command(name = "rotate-key", mixinStandardHelpOptions = true,
        description = "Gives a box a new DTLS key: the hub refuses the old one at once, and DIR/ENDPOINT.properties "
                + "gets the new one (copy it to the box).")
final class BoxRotateKeyCommand implements Runnable {

    private static final Pattern KEY_LINE = Pattern.compile("\\s*psk\\.key\\s*[=:\\s].*|\\s*psk\\.key\\s*");

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder of the box's bundle")
    Path out;

    @Parameters(paramLabel = "ENDPOINT", description = "The box's endpoint id")
    String endpoint;

    BoxRotateKeyCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        DeviceIdentity.checkEndpoint(endpoint);
        Path file = out.resolve(endpoint + ".properties");
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no bundle " + file + ": rotate-key rewrites the box's bundle and cannot make a "
                    + "new one (it does not know the box's place and hub); nothing was changed");
        }
        Properties bundle = new Properties();
        List<String> lines;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            bundle.load(reader);
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.usage("cannot read the bundle " + file + ": " + e.getMessage());
        }
        if (!endpoint.equals(bundle.getProperty("endpoint", "").strip())) {
            throw CliException.usage(file + " is not the bundle of " + endpoint + " (its endpoint is '"
                    + bundle.getProperty("endpoint", "") + "')");
        }
        String identity = bundle.getProperty("psk.identity", endpoint).strip();
        String key = DeviceIdentity.newKeyHex(context.random());
        List<String> rewritten = new ArrayList<>();
        boolean replaced = false;
        for (String line : lines) {
            if (KEY_LINE.matcher(line).matches()) {
                if (!replaced) {
                    rewritten.add(DeviceBundle.entry("psk.key", key));
                    replaced = true;
                }
            } else {
                rewritten.add(line);
            }
        }
        if (!replaced) {
            rewritten.add(DeviceBundle.entry("psk.key", key));
        }
        byte[] content = (String.join("\n", rewritten) + "\n").getBytes(StandardCharsets.UTF_8);
        HubClient client = hubOptions.client(context);
        Path temp;
        try {
            temp = OwnerOnlyFiles.temp(file, content);
        } catch (IOException e) {
            throw CliException.usage("cannot write beside " + file + ": " + e + "; nothing was changed");
        }
        try {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("pskIdentity", identity);
            request.put("pskKey", key);
            client.put("/api/callboxes/" + endpoint + "/key", request);
            OwnerOnlyFiles.moveOver(temp, file);
        } catch (IOException e) {
            throw CliException.usage("the hub has the new key but " + file + " could not be rewritten (" + e
                    + "): run rotate-key again");
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                context.err().println("warning: cannot remove " + temp + ": " + e);
            }
        }
        context.out().println("new key for " + endpoint + " in " + file
                + ": copy it to the box; the old key is refused");
        context.out().println(endpoint);
    }
}
