package org.rxrpc.runtime.felix;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code exec COMMAND...}: starts the runtime as {@code run} does (same options), runs each Gogo command
 * line in one shell session ({@code rx:services}, {@code rx:stats -i 5}, {@code lb}...), prints what each
 * returns on stdout, then stops the runtime. The runtime's own lines go to stderr. Exit code 0 if every
 * command succeeded, 1 if one failed (its error on stderr), 2 for bad options.
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = {
            "Start the runtime (as run, with the same options), run Gogo command lines in it (e.g. \"rx:services\","
                    + " \"rx:stats -i 5\", \"rx:ping 127.0.0.1:7009\", \"lb\"), print their output, and stop.",
            ""
        },
        sortOptions = false)
public final class ExecCommand extends RunCommand {
    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "Gogo command lines, run in this order.")
    List<String> commands = new ArrayList<>();

    @Override
    String name() {
        return "exec";
    }

    @Override
    public Integer call() throws InterruptedException {
        if (shell) {
            System.err.println("exec: --shell is for run");
            return 2;
        }
        FelixLauncher launcher = prepare(System.err);
        if (launcher == null) return 2;
        Thread hook = new Thread(launcher::stop, "rxrpc-runtime-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            launcher.start();
            return launcher.execute(FelixLauncher.defaultShellBundles(), commands, System.out, System.err);
        } catch (FelixLauncher.LaunchException e) {
            System.err.println("exec: " + e.getMessage());
            return 1;
        } finally {
            launcher.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
    }
}
