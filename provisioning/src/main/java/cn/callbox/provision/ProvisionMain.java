package cn.callbox.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code callbox-provision}: new call boxes with keys of their own and their device bundles, enrolment with a hub,
 * key rotation, retirement, the fleet list, township registry import, and firmware over the air (signing keys,
 * signed packages, upload, roll-outs). Exit codes: 0 done; 1 the hub refused or
 * failed (its problem detail is printed on stderr); 2 usage or input error; 3 the hub did not answer.
 *
 * <p>{@link #run(String...)} runs a command in-process (tests, the system tests); {@link #main(String[])} exits with
 * its code.
 */
@Command(name = "callbox-provision", mixinStandardHelpOptions = true, versionProvider = ProvisionMain.Version.class,
        description = "Provisions call boxes, imports township registries into a call-box hub and signs and rolls out "
                + "call-box firmware.",
        subcommands = {BoxCommand.class, ImportCommand.class, FirmwareCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the hub refused or failed the request (its problem detail is printed)",
            "2:usage or input error", "3:the hub did not answer"})
public final class ProvisionMain implements Runnable {

    private final Context context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Prints to {@code out} and {@code err}; ids and keys from a new {@link SecureRandom}. */
    public ProvisionMain(PrintWriter out, PrintWriter err) {
        this(new Context(out, err, new SecureRandom(), Clock.systemUTC(), Duration.ofSeconds(15)));
    }

    ProvisionMain(Context context) {
        this.context = context;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(new ProvisionMain(out, err).run(args));
    }

    /**
     * Runs one command line.
     *
     * @return the exit code
     */
    public int run(String... args) {
        CommandLine commandLine = new CommandLine(this, new Factory(context));
        commandLine.setOut(context.out());
        commandLine.setErr(context.err());
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException cli) {
                line.getErr().println("error: " + cli.getMessage());
                return cli.exitCode();
            }
            if (e instanceof HubClient.HubRefusedException refused) {
                line.getErr().println("error: the hub refused (HTTP " + refused.status() + "): " + refused.detail());
                if (refused.problem().hasNonNull("rule")) {
                    line.getErr().println("rule: " + refused.problem().get("rule").asText());
                }
                return CliException.HUB_REFUSED;
            }
            throw e;
        });
        try {
            return commandLine.execute(args);
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing: box, import or firmware");
    }

    /** Gives commands the shared {@link Context} through a constructor taking it. */
    private record Factory(Context context) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Context.class);
                return constructor.newInstance(context);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    /** The project version, from the filtered {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = ProvisionMain.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"callbox-provision " + properties.getProperty("version", "unknown")};
        }
    }
}
