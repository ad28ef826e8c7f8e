package cn.callbox.provision;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code box}: the call-box commands. */
@Command(name = "box", mixinStandardHelpOptions = true,
        description = "Call boxes: new, enrol, rotate-key, retire, list.",
        subcommands = {BoxNewCommand.class, BoxEnrolCommand.class, BoxRotateKeyCommand.class, BoxRetireCommand.class,
            BoxListCommand.class})
final class BoxCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a box command is missing: new, enrol, rotate-key, retire or list");
    }
}
