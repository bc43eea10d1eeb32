package org.rxrpc.runtime;

import java.util.Arrays;
import org.rxrpc.runtime.felix.ExecCommand;
import org.rxrpc.runtime.felix.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The launcher: {@code run} starts the OSGi runtime (embedded Apache Felix with the rxrpc bundles),
 * {@code serve} runs the rxperf server on one endpoint in a plain JVM (no framework), {@code rxperf} is a
 * load client. With no arguments, or with options only, it runs the OSGi runtime.
 */
@Command(
        name = "rxrpc-runtime",
        mixinStandardHelpOptions = true,
        version = "rxrpc-runtime 0.1.0-SNAPSHOT",
        description = "Rx RPC (AFS) over UDP: the OSGi runtime (run, the default), a plain-JVM rxperf server"
                + " (serve) and the rxperf load client (rxperf).",
        subcommands = {RunCommand.class, ExecCommand.class, ServeCommand.class, RxperfCommand.class, MemoryCommand.class
        })
public final class Main implements Runnable {
    static final String DEFAULT_COMMAND = "run";

    @Override
    public void run() {
        // Only reached with no subcommand, which main() turns into "run".
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::badArguments)
                .execute(withDefaultCommand(args));
    }

    /** A bad option or value: one line naming it (not the whole usage), and exit code 2. */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine c = e.getCommandLine();
        System.err.println(
                c.getCommandName() + ": " + e.getMessage() + " (" + c.getCommandName() + " --help lists the options)");
        return 2;
    }

    /** "run" is the default subcommand: with no arguments, or when the first one is an option of run. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) return new String[] {DEFAULT_COMMAND};
        String first = args[0];
        boolean ownOption =
                first.equals("-h") || first.equals("--help") || first.equals("-V") || first.equals("--version");
        if (first.startsWith("-") && !ownOption) {
            String[] out = new String[args.length + 1];
            out[0] = DEFAULT_COMMAND;
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return Arrays.copyOf(args, args.length);
    }
}
