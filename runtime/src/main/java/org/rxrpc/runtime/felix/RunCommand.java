package org.rxrpc.runtime.felix;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.rxrpc.api.EndpointOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}, the default command: the OSGi runtime (embedded Apache Felix) until Ctrl-C / SIGTERM,
 * which stop the framework cleanly (every component deactivates: endpoints close, charged calls are
 * discarded) and exit 0.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Start the OSGi runtime (the default command): Apache Felix with the bundles of the bundle folder"
                    + " (Declarative Services, Config Admin, Metatype, FileInstall, slf4j, and the rxrpc bundles),"
                    + " settings from Karaf-style .cfg files in the settings folder, until Ctrl-C or SIGTERM.",
            "Third-party bundles: put them in the deploy folder, at any time (installed and started; replaced:"
                    + " updated; removed: uninstalled), or name their folder with --add-bundles.",
            "Settings (PIDs, one file each: PID.cfg): org.rxrpc.transport (bindAddress, windows, timeouts...),"
                    + " org.rxrpc.rxperf (port, backlog, maxLiveCalls, verify), org.rxrpc.cm (port, backlog, maxLiveCalls),"
                    + " org.rxrpc.vl.sample (port, backlog, maxLiveCalls). The options"
                    + " below are written into Config Admin after the files are read, so they win at start.",
            ""
        },
        sortOptions = false)
public class RunCommand implements Callable<Integer> {
    static final String TRANSPORT_PID = "org.rxrpc.transport";
    static final String RXPERF_PID = "org.rxrpc.rxperf";
    static final String CM_PID = "org.rxrpc.cm";
    static final String VL_PID = "org.rxrpc.vl.sample";

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description =
                    "Local address of every Rx endpoint (" + TRANSPORT_PID + " bindAddress; default" + " 127.0.0.1).")
    String bind;

    @Option(
            names = "--rxperf-port",
            paramLabel = "PORT",
            description = "UDP port of the rxperf service, 0 = any (" + RXPERF_PID + " port; default 7009).")
    Integer rxperfPort;

    @Option(
            names = "--cm-port",
            paramLabel = "PORT",
            description = "UDP port of the cache-manager callback service, RXAFSCB (service 1), 0 = any (" + CM_PID
                    + " port; default 7001).")
    Integer cmPort;

    @Option(
            names = "--vl-port",
            paramLabel = "PORT",
            description = "UDP port of the sample VL server (service 52), 0 = any (" + VL_PID + " port; default 7003).")
    Integer vlPort;

    @Option(
            names = "--etc",
            paramLabel = "DIR",
            description = "Settings folder of .cfg files, read at start and watched for changes (default:"
                    + " runtime/etc, i.e. etc/ beside the jar's target/ folder).")
    Path etc;

    @Option(
            names = "--deploy",
            paramLabel = "DIR",
            description = "Deploy folder, watched while the runtime runs (Felix FileInstall, every second): a bundle"
                    + " (*.jar) put there is installed and started, replaced is updated, removed is uninstalled;"
                    + " those there at start are started before the startup report (default: runtime/deploy,"
                    + " beside runtime/etc; created if missing).")
    Path deploy;

    @Option(
            names = "--add-bundles",
            paramLabel = "DIR",
            description = "Also install and start the *.jar of this folder at start, on top of the bundle folder"
                    + " (repeatable; not watched).")
    List<Path> addBundles = new ArrayList<>();

    @Option(
            names = "--bundles",
            paramLabel = "DIR",
            description = "Bundle folder: every *.jar in it is installed at start. It replaces the default set"
                    + " (runtime/target/bundles, filled by the build: Felix SCR, Config Admin, Metatype,"
                    + " FileInstall, slf4j and the rxrpc bundles), so it must hold what the runtime needs; to add"
                    + " bundles to the default set, use --add-bundles or --deploy.")
    Path bundles;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Cache folder (framework storage, emptied at start, and kept): a new or empty folder, or one"
                    + " the runtime made before (it holds " + FelixLauncher.CACHE_MARKER + "); any other folder is"
                    + " refused, never emptied (default: a new temporary folder, deleted at exit, so that runtimes"
                    + " can run side by side).")
    Path cache;

    @Option(
            names = "--stop-timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "How long a clean stop may take before the process gives up (default ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    @Option(
            names = "--shell",
            description = "Also an interactive Apache Felix Gogo shell on this terminal, once started (the rx:*"
                    + " commands, lb, help...); leaving it (Ctrl-D or exit) stops the runtime.")
    boolean shell;

    /** The name in messages: "run", or the subclass's command. */
    String name() {
        return "run";
    }

    /**
     * Checks every option and makes the launcher, its lines going to {@code out}.
     *
     * @return the launcher, or null after printing why the options are refused (exit code 2)
     */
    FelixLauncher prepare(PrintStream out) {
        Integer refused = check();
        if (refused != null) return null;
        Path deployDir = (deploy != null ? deploy : FelixLauncher.defaultDeploy()).toAbsolutePath();
        Path etcDir = etc != null ? etc : FelixLauncher.defaultEtc();
        if (etc == null && !Files.isDirectory(etcDir)) {
            out.println(FelixLauncher.PREFIX + "no settings folder " + etcDir + ": defaults only");
            etcDir = null;
        }
        return new FelixLauncher(
                new FelixLauncher.Settings(
                        (bundles != null ? bundles : FelixLauncher.defaultBundles()).toAbsolutePath(),
                        addBundles.stream().map(Path::toAbsolutePath).toList(),
                        etcDir == null ? null : etcDir.toAbsolutePath(),
                        deployDir,
                        cache,
                        overrides(),
                        Duration.ofSeconds(stopTimeoutSeconds)),
                out);
    }

    @Override
    public Integer call() throws InterruptedException {
        FelixLauncher launcher = prepare(System.out);
        if (launcher == null) return 2;
        return runUntilStopped(launcher);
    }

    /** Null if every option is fine; else prints one line and returns 2. */
    private Integer check() {
        if (rxperfPort != null && (rxperfPort < 0 || rxperfPort > 65535))
            return usage("--rxperf-port must be 0..65535");
        if (cmPort != null && (cmPort < 0 || cmPort > 65535)) return usage("--cm-port must be 0..65535");
        if (vlPort != null && (vlPort < 0 || vlPort > 65535)) return usage("--vl-port must be 0..65535");
        if (bind != null) {
            try {
                EndpointOptions.builder().bindAddress(bind).build();
            } catch (IllegalArgumentException e) {
                return usage("--bind: " + e.getMessage());
            }
        }
        if (stopTimeoutSeconds < 1) return usage("--stop-timeout must be at least 1");
        if (etc != null && !Files.isDirectory(etc)) return usage("--etc " + etc + " is not a folder");
        for (Path folder : addBundles) {
            if (!Files.isDirectory(folder)) return usage("--add-bundles " + folder + " is not a folder");
        }
        if (cache != null) {
            String refused = FelixLauncher.claimCache(cache.toAbsolutePath());
            if (refused != null) return usage("--cache " + refused);
        }
        Path deployDir = (deploy != null ? deploy : FelixLauncher.defaultDeploy()).toAbsolutePath();
        if (Files.exists(deployDir) && !Files.isDirectory(deployDir))
            return usage("--deploy " + deployDir + " is not a folder");
        try {
            Files.createDirectories(deployDir);
        } catch (IOException e) {
            return usage("cannot create the deploy folder " + deployDir + ": " + e);
        }
        if (shell && !Files.isDirectory(FelixLauncher.defaultShellBundles()))
            return usage("--shell: no Gogo bundles in " + FelixLauncher.defaultShellBundles() + " (made by the build)");
        return null;
    }

    private int runUntilStopped(FelixLauncher launcher) throws InterruptedException {
        // Ctrl-C / SIGTERM: stop cleanly, then main returns and the process exits 0. Any other way the JVM
        // shuts down (System.exit, SIGHUP): the hook stops the framework. A second signal: exit at once.
        Thread hook = new Thread(launcher::stop, "rxrpc-runtime-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicInteger signals = new AtomicInteger();
        Signals.onStop(signal -> {
            if (signals.incrementAndGet() > 1) {
                System.err.println(FelixLauncher.PREFIX + "second " + signal + ": exiting without a clean stop");
                Runtime.getRuntime().halt(130);
            }
            Thread stopper = new Thread(
                    () -> {
                        if (!launcher.stop()) {
                            System.err.println(FelixLauncher.PREFIX + "ERROR: the framework did not stop within "
                                    + stopTimeoutSeconds + " s");
                            Runtime.getRuntime().halt(1);
                        }
                    },
                    "rxrpc-runtime-stop");
            stopper.start();
        });

        try {
            launcher.start();
            if (shell) launcher.startShell(FelixLauncher.defaultShellBundles());
        } catch (FelixLauncher.LaunchException e) {
            System.err.println("run: " + e.getMessage());
            launcher.stop();
            removeHook(hook);
            return 1;
        }
        int code = launcher.awaitStop();
        removeHook(hook);
        return code;
    }

    /** The command-line settings, per PID. */
    Map<String, Map<String, Object>> overrides() {
        Map<String, Map<String, Object>> o = new LinkedHashMap<>();
        if (bind != null) o.put(TRANSPORT_PID, Map.of("bindAddress", bind));
        if (rxperfPort != null) o.put(RXPERF_PID, Map.of("rxrpc.port", rxperfPort));
        if (cmPort != null) o.put(CM_PID, Map.of("rxrpc.port", cmPort));
        if (vlPort != null) o.put(VL_PID, Map.of("rxrpc.port", vlPort));
        return o;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
    }

    private int usage(String message) {
        System.err.println(name() + ": " + message);
        return 2;
    }
}
