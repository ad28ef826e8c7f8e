package cn.callbox.provision;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import cn.callbox.protocol.firmware.FirmwarePackage;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code firmware}: firmware over the air. Release keys and signed packages are made on the release signer's machine
 * ({@code keygen}, {@code pack}); {@code verify} checks a package without a hub; {@code upload}, {@code rollout},
 * {@code status} and {@code cancel} work with the hub.
 */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = {"Firmware over the air: keygen, pack, verify, upload, rollout, status, cancel.",
            "Keys and packages are made on the release signer's machine. The hub and the call boxes take only "
                + "packages signed with a key they trust."},
        subcommands = {FirmwareKeygenCommand.class, FirmwarePackCommand.class, FirmwareVerifyCommand.class,
            FirmwareUploadCommand.class, FirmwareRolloutCommand.class, FirmwareStatusCommand.class,
            FirmwareCancelCommand.class})
final class FirmwareCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a firmware command is missing: keygen, pack, verify, upload, rollout, status or cancel");
    }

    /** The lines {@code pack} and {@code verify} print for a package: what its signature vouches for. */
    static void printManifest(PrintWriter out, FirmwarePackage.Manifest manifest, String keyId) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", manifest.name()});
        rows.add(new String[] {"version", manifest.version()});
        rows.add(new String[] {"size", manifest.size() + " bytes"});
        rows.add(new String[] {"sha256", manifest.sha256()});
        rows.add(new String[] {"created", manifest.created().toString()});
        rows.add(new String[] {"key id", keyId});
        Table.print(out, rows);
    }
}
