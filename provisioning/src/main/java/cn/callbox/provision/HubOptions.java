package cn.callbox.provision;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The hub to talk to and the admin password file: the options every command that calls the hub takes. */
final class HubOptions {

    @Option(names = "--hub", paramLabel = "URL", required = true,
            description = "The hub's console and REST address, e.g. http://192.168.1.10:8080")
    URI hub;

    @Option(names = "--admin-password-file", paramLabel = "FILE", required = true,
            description = "File holding the hub's admin password (e.g. <data-dir>/initial-admin-password)")
    Path passwordFile;

    @Option(names = "--hub-ca", paramLabel = "FILE", description = "PEM certificate(s) an https:// hub is trusted by "
            + "(its self-signed certificate or the township's CA); default: the system's trust store")
    Path caFile;

    HubClient client(Context context) {
        return client(context, hub, passwordFile, caFile);
    }

    /** @param caFile {@code --hub-ca}, or null */
    static HubClient client(Context context, URI hub, Path passwordFile, Path caFile) {
        String scheme = hub.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || hub.getHost() == null) {
            throw CliException.usage("--hub must be an http:// or https:// address with a host, got '" + hub + "'");
        }
        if (caFile != null && !scheme.equals("https")) {
            throw CliException.usage("--hub-ca is for an https:// hub, got '" + hub + "'");
        }
        String password = readPassword(passwordFile);
        if (scheme.equals("http") && !isLoopback(hub.getHost())) {
            context.err().println("warning: over http:// the admin password and the box keys cross the network "
                    + "unencrypted; serve the hub over https:// (docs/packaging.md)");
        }
        return new HubClient(caFile == null ? context.httpClient() : context.httpClient(HubTrust.trusting(caFile)),
                hub, password, context.timeout());
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The trimmed first content of the file; never printed. */
    static String readPassword(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("admin password file " + file + " does not exist or is not a file");
        }
        String password;
        try {
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw CliException.usage("cannot read the admin password file " + file + ": " + e.getClass()
                    .getSimpleName());
        }
        if (password.isEmpty()) {
            throw CliException.usage("admin password file " + file + " is empty");
        }
        return password;
    }
}
