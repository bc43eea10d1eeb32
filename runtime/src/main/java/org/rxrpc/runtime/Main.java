package org.rxrpc.runtime;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Interim plain-JVM launcher (no OSGi framework): {@code serve} runs the rxperf server on one endpoint,
 * {@code rxperf} is a load client. With no arguments, or with options only, it serves.
 */
@Command(
        name = "rxrpc-runtime",
        mixinStandardHelpOptions = true,
        version = "rxrpc-runtime 0.1.0-SNAPSHOT",
        description = "Rx RPC (AFS) over UDP: rxperf server and load client.",
        subcommands = {ServeCommand.class, RxperfCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        // Only reached with no subcommand, which main() turns into "serve".
        new CommandLine(this).usage(System.err);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(withDefaultCommand(args));
    }

    /** "serve" is the default subcommand: with no arguments, or when the first one is an option of serve. */
    static String[] withDefaultCommand(String[] args) {
        if (args.length == 0) return new String[] {"serve"};
        String first = args[0];
        boolean ownOption =
                first.equals("-h") || first.equals("--help") || first.equals("-V") || first.equals("--version");
        if (first.startsWith("-") && !ownOption) {
            String[] out = new String[args.length + 1];
            out[0] = "serve";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return Arrays.copyOf(args, args.length);
    }
}
