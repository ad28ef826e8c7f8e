package cn.callbox.provision;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.config.HubCertificates;
import cn.callbox.protocol.firmware.FirmwareKeys;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code box new}: makes an endpoint id and a 16-byte PSK from a secure random source, enrols the box with the hub
 * ({@code POST /api/callboxes}) and writes {@code DIR/<endpoint>.properties} (mode 600). With {@code --export FILE}
 * it calls no hub: it writes the enrolment request (with the key, mode 600) for {@code box enrol} and the bundle.
 * The bundle trusts the firmware keys the hub sends and those of {@code --firmware-key}, and for HTTPS downloads from
 * the hub the certificates of {@code --hub-ca}.
 * The endpoint id is the last line of stdout.
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = {"Makes a new call box: endpoint id, DTLS key, enrolment with the hub and the device bundle "
                + "DIR/<endpoint>.properties (readable by its owner only).",
            "Prints the endpoint id as the last line."})
final class BoxNewCommand implements Runnable {

    private final Context context;

    @ArgGroup(validate = false, heading = "%nThe hub:%n", order = 1)
    HubSection hubSection = new HubSection();

    @ArgGroup(validate = false, heading = "%nThe box:%n", order = 2)
    BoxSection box = new BoxSection();

    @ArgGroup(validate = false, heading = "%nThe bundle:%n", order = 3)
    BundleSection bundleSection = new BundleSection();

    /** Where the box is enrolled. */
    static final class HubSection {
        @Option(names = "--hub", paramLabel = "URL", order = 1, description = "The hub's REST address, e.g. "
                + "http://192.168.1.10:8080 (not with --export)")
        URI hub;

        @Option(names = "--admin-password-file", paramLabel = "FILE", order = 2,
                description = "File holding the hub's admin password")
        Path passwordFile;

        @Option(names = "--hub-uri", paramLabel = "URI", order = 3, description = "The LwM2M address the box dials, "
                + "coaps://host:port: required with --export; otherwise the hub's answer is used unless this is given")
        URI hubUri;

        @Option(names = "--hub-ca", paramLabel = "FILE", order = 4, description = "PEM certificate(s) an https:// "
                + "hub is trusted by (its self-signed certificate or the township's CA); default: the system's. "
                + "Also written into the bundle: the box trusts it for firmware downloads (with --export too)")
        Path caFile;

        @Option(names = "--export", paramLabel = "FILE", order = 5, description = "Call no hub: write the enrolment "
                + "request to FILE (mode 600, holds the key) for 'box enrol', and the bundle")
        Path export;
    }

    /** What the box is and where it stands. */
    static final class BoxSection {
        @Option(names = "--village", paramLabel = "V", required = true, order = 1,
                description = "Village id or name; the hub creates an unknown one")
        String village;

        @Option(names = "--point", paramLabel = "P", required = true, order = 2,
                description = "Point (market, grid...) id or name in the village; the hub creates an unknown one")
        String point;

        @Option(names = "--lat", paramLabel = "LAT", required = true, order = 3,
                description = "Latitude, WGS-84 degrees (3 to 54)")
        Double lat;

        @Option(names = "--lon", paramLabel = "LON", required = true, order = 4,
                description = "Longitude, WGS-84 degrees (73 to 136)")
        Double lon;

        @Option(names = "--unit", paramLabel = "U", order = 5,
                description = "Unit answering for the box (default: the hub chooses)")
        String unit;

        @Option(names = "--endpoint", paramLabel = "EP", order = 6,
                description = "Endpoint id (default: cb- and 8 random characters)")
        String endpoint;
    }

    /** Where the bundle goes and what it says. */
    static final class BundleSection {
        @Option(names = "--out", paramLabel = "DIR", required = true, order = 1,
                description = "Folder of the device bundle")
        Path out;

        @Option(names = "--outbox-dir", paramLabel = "DIR", defaultValue = DeviceBundle.DEFAULT_OUTBOX_DIR, order = 2,
                description = "Alarm outbox folder on the box (default: ${DEFAULT-VALUE})")
        String outboxDir = DeviceBundle.DEFAULT_OUTBOX_DIR;

        @Option(names = "--firmware-key", paramLabel = "FILE", order = 3, description = "A firmware public key the "
                + "box trusts ('firmware keygen' writes NAME.pub), besides those the hub sends; repeatable. With "
                + "--export the only way a box gets firmware keys")
        List<Path> firmwareKeyFiles = new ArrayList<>();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    BoxNewCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        String id = box.endpoint == null ? DeviceIdentity.newEndpoint(context.random())
                : DeviceIdentity.checkEndpoint(box.endpoint);
        checkInput();
        // files given are read before anything is enrolled or written: a wrong one leaves nothing behind
        List<String> givenFirmwareKeys = readFirmwareKeys();
        List<String> hubCertificates = hubCertificates();
        Path bundleFile = bundleSection.out.resolve(id + ".properties");
        prepareFolder(bundleFile);
        String key = DeviceIdentity.newKeyHex(context.random());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("endpoint", id);
        request.put("village", box.village.strip());
        request.put("point", box.point.strip());
        request.put("lat", box.lat);
        request.put("lon", box.lon);
        if (box.unit != null) {
            request.put("unit", box.unit.strip());
        }
        request.put("pskIdentity", id);
        request.put("pskKey", key);

        DeviceBundle bundle;
        if (hubSection.export != null) {
            writeExport(request);
            bundle = new DeviceBundle(id, hubSection.hubUri.toString(), id, key, box.lat, box.lon,
                    box.village.strip(), box.point.strip(), bundleSection.outboxDir, givenFirmwareKeys,
                    hubCertificates);
            context.out().println("enrolment of " + id + " written to " + hubSection.export
                    + " (mode 600, holds the key): send it with 'box enrol'");
        } else {
            HubClient client = HubOptions.client(context, hubSection.hub, hubSection.passwordFile,
                    hubSection.caFile);
            JsonNode answer = client.post("/api/callboxes", request);
            String uri = hubSection.hubUri != null ? hubSection.hubUri.toString() : text(answer, "hubUri", null);
            if (uri == null) {
                throw new CliException(CliException.HUB_REFUSED, "the hub enrolled " + id
                        + " but named no hubUri; retire it ('box retire " + id + "') and try again with --hub-uri");
            }
            bundle = new DeviceBundle(id, uri, id, key, box.lat, box.lon, text(answer, "village", box.village.strip()),
                    text(answer, "point", box.point.strip()), bundleSection.outboxDir,
                    union(firmwareKeys(id, answer), givenFirmwareKeys), hubCertificates);
            context.out().println("enrolled " + id + ": village " + bundle.village() + ", point " + bundle.point()
                    + ", unit " + text(answer, "unit", "-") + ", hub " + uri);
        }
        try {
            OwnerOnlyFiles.createNew(bundleFile, bundle.render(LocalDate.now(context.clock())));
        } catch (IOException e) {
            throw CliException.usage("cannot write the bundle " + bundleFile + ": " + e
                    + (hubSection.export == null ? "; the box is enrolled: retire it ('box retire " + id
                            + "') and try again" : ""));
        }
        context.out().println("bundle " + bundleFile + " (mode 600)");
        context.out().println(id);
    }

    private void checkInput() {
        // the option sections only group the help; their required options are checked here
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("--village=V", box.village);
        required.put("--point=P", box.point);
        required.put("--lat=LAT", box.lat);
        required.put("--lon=LON", box.lon);
        required.put("--out=DIR", bundleSection.out);
        List<String> missing = required.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey)
                .toList();
        if (!missing.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required option" + (missing.size() > 1 ? "s" : "")
                    + ": " + String.join(", ", missing));
        }
        if (hubSection.export == null && (hubSection.hub == null || hubSection.passwordFile == null)) {
            throw CliException.usage("--hub and --admin-password-file are needed, or --export FILE to enrol later");
        }
        if (hubSection.export != null && hubSection.hub != null) {
            throw CliException.usage("--export calls no hub: leave out --hub");
        }
        if (hubSection.export != null && hubSection.hubUri == null) {
            throw CliException.usage("--export needs --hub-uri coaps://HOST:PORT, the hub's LwM2M address for the box");
        }
        if (hubSection.hubUri != null && !"coaps".equals(hubSection.hubUri.getScheme())) {
            throw CliException.usage("--hub-uri must be coaps://HOST:PORT, got '" + hubSection.hubUri + "'");
        }
        if (box.village.isBlank() || box.point.isBlank()) {
            throw CliException.usage("--village and --point must not be blank");
        }
        if (!Coordinates.latitudeInChina(box.lat)) {
            throw CliException.usage("--lat " + box.lat + " is outside China's range (3 to 54)");
        }
        if (!Coordinates.longitudeInChina(box.lon)) {
            throw CliException.usage("--lon " + box.lon + " is outside China's range (73 to 136)");
        }
        if (box.unit != null && !box.unit.strip().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw CliException.usage("--unit '" + box.unit + "' is not a unit id");
        }
        if (bundleSection.outboxDir.isBlank()) {
            throw CliException.usage("--outbox-dir must not be blank");
        }
    }

    /** Makes the folder; refuses an existing bundle (it holds a key that may be in use). */
    private void prepareFolder(Path bundleFile) {
        try {
            Files.createDirectories(bundleSection.out);
        } catch (IOException e) {
            throw CliException.usage("cannot make the folder " + bundleSection.out + ": " + e);
        }
        if (!Files.isWritable(bundleSection.out)) {
            throw CliException.usage("cannot write to the folder " + bundleSection.out);
        }
        if (Files.exists(bundleFile)) {
            throw CliException.usage("bundle " + bundleFile + " exists already; not overwritten");
        }
        if (hubSection.export != null && Files.exists(hubSection.export)) {
            throw CliException.usage("export file " + hubSection.export + " exists already; not overwritten");
        }
    }

    private void writeExport(Map<String, Object> request) {
        try {
            Path parent = hubSection.export.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            OwnerOnlyFiles.createNew(hubSection.export, HubClient.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(request));
        } catch (FileAlreadyExistsException e) {
            throw CliException.usage("export file " + hubSection.export + " exists already; not overwritten");
        } catch (IOException e) {
            throw CliException.usage("cannot write the export file " + hubSection.export + ": " + e);
        }
    }

    /** The keys of {@code --firmware-key}, one-line base64 each; a file that holds no public key is a usage error. */
    private List<String> readFirmwareKeys() {
        List<String> keys = new ArrayList<>();
        for (Path file : bundleSection.firmwareKeyFiles) {
            try {
                keys.add(FirmwareKeys.toBase64(FirmwareKeys.readPublicKey(file)));
            } catch (IOException e) {
                throw CliException.usage("cannot read the firmware key " + file + ": " + e);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--firmware-key " + file + " holds no Ed25519 public key (the NAME.pub "
                        + "'firmware keygen' wrote): " + e.getMessage());
            }
        }
        return keys;
    }

    /** The {@code --hub-ca} certificates, for the box's HTTPS firmware downloads from the same hub. */
    private List<String> hubCertificates() {
        if (hubSection.caFile == null) {
            return List.of();
        }
        return HubTrust.certificates(hubSection.caFile).stream().map(HubCertificates::toBase64).toList();
    }

    private static List<String> union(List<String> first, List<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /**
     * The hub's trusted firmware keys from its answer. A key that is not an Ed25519 public key is left out with a
     * warning: a box that trusts fewer keys refuses more firmware, it does not stop working.
     */
    private List<String> firmwareKeys(String id, JsonNode answer) {
        List<String> keys = new ArrayList<>();
        if (answer == null || !answer.path("firmwareKeys").isArray()) {
            return keys;
        }
        for (JsonNode node : answer.get("firmwareKeys")) {
            String key = node.asText("").strip();
            try {
                FirmwareKeys.publicKey(key);
                keys.add(key);
            } catch (IllegalArgumentException e) {
                context.err().println("warning: the hub sent a firmware key that is not an Ed25519 public key; "
                        + "left out of the bundle of " + id + ": " + e.getMessage());
            }
        }
        return keys;
    }

    private static String text(JsonNode answer, String field, String fallback) {
        return answer != null && answer.hasNonNull(field) ? answer.get(field).asText() : fallback;
    }
}
