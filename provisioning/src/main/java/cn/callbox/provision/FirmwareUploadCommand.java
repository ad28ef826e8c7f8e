package cn.callbox.provision;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import cn.callbox.protocol.firmware.FirmwarePackage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code firmware upload}: {@code POST /api/firmware} with the package file as the body
 * ({@code application/octet-stream}, streamed from disk). The hub checks the signature against its own trusted keys
 * and keeps the package; the last line of stdout is the package id the hub gave it (for {@code firmware rollout}).
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Uploads a firmware package to the hub, which takes it only when a key it trusts signed it.",
            "Prints the package id as the last line (for 'firmware rollout --firmware ID')."})
final class FirmwareUploadCommand implements Runnable {

    static final String OCTET_STREAM = "application/octet-stream";

    private final Context context;

    @Mixin
    HubOptions hubOptions;

    @Parameters(paramLabel = "FILE.cbfw", description = "The package, from 'firmware pack'")
    Path file;

    FirmwareUploadCommand(Context context) {
        this.context = context;
    }

    @Override
    public void run() {
        checkPackage();
        HubClient client = hubOptions.client(context);
        JsonNode stored;
        try {
            stored = client.postFile("/api/firmware", file, OCTET_STREAM);
        } catch (HubClient.HubRefusedException e) {
            if (e.problem().hasNonNull("reason")) {
                context.err().println("reason: " + e.problem().get("reason").asText());
            }
            if (e.problem().hasNonNull("existing")) {
                context.err().println("held already as " + e.problem().get("existing").asText());
            }
            throw e;
        }
        if (stored == null || !stored.hasNonNull("id")) {
            throw new CliException(CliException.HUB_REFUSED, "the hub's answer names no package id");
        }
        context.out().println("uploaded " + text(stored, "name") + " " + text(stored, "version") + ": "
                + text(stored, "size") + " bytes, sha256 " + text(stored, "sha256") + ", key " + text(stored, "keyId")
                + ", by " + text(stored, "uploadedBy") + " at " + text(stored, "uploadedAt"));
        context.out().println(stored.get("id").asText());
    }

    /** A file that is no package at all is refused here, before a byte goes to the hub. */
    private void checkPackage() {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("no package " + file);
        }
        byte[] magic;
        try (InputStream in = Files.newInputStream(file)) {
            magic = in.readNBytes(4);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e);
        }
        if (!"CBFW".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw CliException.usage(file + " is not a firmware package (make one with 'firmware pack'; "
                    + FirmwarePackage.FILE_SUFFIX + ")");
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "-";
    }
}
