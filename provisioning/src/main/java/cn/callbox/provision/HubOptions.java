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

    HubClient client(Context context) {
        return client(context, hub, passwordFile);
    }

    static HubClient client(Context context, URI hub, Path passwordFile) {
        if (hub.getScheme() == null || !(hub.getScheme().equals("http") || hub.getScheme().equals("https"))
                || hub.getHost() == null) {
            throw CliException.usage("--hub must be an http:// or https:// address with a host, got '" + hub + "'");
        }
        return new HubClient(context.httpClient(), hub, readPassword(passwordFile), context.timeout());
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
