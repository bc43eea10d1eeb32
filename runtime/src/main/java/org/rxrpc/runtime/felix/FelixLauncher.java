package org.rxrpc.runtime.felix;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The embedded OSGi runtime: Apache Felix with the bundles of a folder, and settings from Karaf-style
 * {@code .cfg} files (Felix FileInstall into Config Admin) plus overrides given on the command line.
 *
 * <p>Order matters, so that every component activates once, with its final settings: all bundles are
 * installed and started except FileInstall and SCR; then FileInstall, and the launcher waits until each
 * {@code .cfg} file of the settings folder is in Config Admin; then the overrides are written into Config
 * Admin; then FileInstall is given the deploy folder to watch, and the launcher waits until it has
 * installed and started the bundles already there; then SCR starts and activates the components.
 * FileInstall never writes back into the files, so an override lasts until its file changes. While the
 * runtime runs, FileInstall installs, updates and uninstalls the bundles of the deploy folder
 * ({@link DeployFolder}).
 *
 * <p>Output: lines starting with {@value #PREFIX} on the given stream (the Rx services that listen, and
 * when they stop); the bundles log through slf4j (slf4j-simple: to stderr by default).
 */
public final class FelixLauncher {
    public static final String PREFIX = "rxrpc runtime: ";
    /** The file that marks a cache folder as the runtime's own (see {@link #claimCache}). */
    public static final String CACHE_MARKER = ".rxrpc-runtime-cache";

    static final String SCR = "org.apache.felix.scr";
    static final String FILEINSTALL = "org.apache.felix.fileinstall";
    static final String SLF4J_API = "slf4j.api";

    private static final long SETTINGS_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long DEPLOY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long STARTUP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * What to run.
     *
     * @param bundles folder whose {@code *.jar} are installed: the default set, or the one that replaces it
     * @param addBundles more folders whose {@code *.jar} are installed at start, on top of {@code bundles}
     * @param etc folder of {@code .cfg} files; null for none
     * @param deploy folder watched for bundles while the runtime runs (it must exist); null for none
     * @param cache folder of the framework storage (its {@code felix/} subfolder, cleaned at start) and
     *     of FileInstall's files, kept; it must be new, empty or one the runtime made before (see
     *     {@link #claimCache}); null for a temporary folder deleted at the end
     * @param overrides properties to set per PID after the files are read
     * @param stopTimeout how long stopping may take
     */
    public record Settings(
            Path bundles,
            List<Path> addBundles,
            Path etc,
            Path deploy,
            Path cache,
            Map<String, Map<String, Object>> overrides,
            Duration stopTimeout) {
        public Settings {
            addBundles = List.copyOf(addBundles);
            overrides = copy(overrides);
        }

        private static Map<String, Map<String, Object>> copy(Map<String, Map<String, Object>> in) {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            in.forEach((pid, values) -> out.put(pid, Map.copyOf(values)));
            return out;
        }
    }

    /** The runtime could not be started; the message says why. */
    public static final class LaunchException extends Exception {
        private static final long serialVersionUID = 1L;

        LaunchException(String message) {
            super(message);
        }

        LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private Framework framework;
    /** Guarded by lock. */
    private boolean stopRequested;
    /** Guarded by lock. */
    private boolean finished;

    private Path cache;
    private boolean temporaryCache;
    private RxServiceReporter reporter;
    private volatile DeployFolder deployFolder;
    private long stopStartNanos;

    public FelixLauncher(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * The folder that holds the launcher: the jar's folder ({@code runtime/target}), or for classes
     * run from the build, the folder above {@code target/classes} ({@code runtime/target}).
     */
    public static Path home() {
        try {
            Path p = Paths.get(FelixLauncher.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
            return p.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Paths.get("").toAbsolutePath();
        }
    }

    /**
     * Default deploy folder: in the build layout, {@code runtime/deploy} (beside {@code runtime/etc});
     * otherwise {@code deploy/} beside the jar.
     */
    public static Path defaultDeploy() {
        return defaultEtc().resolveSibling("deploy");
    }

    /**
     * Makes {@code dir} the runtime's cache folder if it may be: a folder that does not exist yet (created),
     * an empty one, or one the runtime made before (it holds {@value #CACHE_MARKER}). Anything else is
     * refused: Felix empties its storage at start, and a folder of the user's must never be emptied.
     *
     * @return null if the folder is the runtime's now; else why not, in one line
     */
    public static String claimCache(Path dir) {
        Path marker = dir.resolve(CACHE_MARKER);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) return dir + " is not a folder";
            if (Files.isDirectory(dir) && !Files.exists(marker)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        return dir + " is not empty and the runtime did not make it (no " + CACHE_MARKER
                                + " in it): give a new or empty folder";
                    }
                }
            }
            Files.createDirectories(dir);
            if (!Files.exists(marker)) {
                Files.writeString(
                        marker,
                        "The rxrpc runtime's cache (framework storage in felix/, emptied at each start). Safe to"
                                + " delete.\n");
            }
            return null;
        } catch (IOException e) {
            return "cannot use " + dir + " as the cache folder: " + e;
        }
    }

    /** The Gogo shell's bundles ({@code run --shell}, {@code exec}): {@code shell-bundles/} beside the jar. */
    public static Path defaultShellBundles() {
        return home().resolve("shell-bundles");
    }

    /** Default bundle folder: {@code bundles/} beside the jar. */
    public static Path defaultBundles() {
        return home().resolve("bundles");
    }

    /**
     * Default settings folder: in the build layout ({@code runtime/target/rxrpc-runtime.jar}),
     * {@code runtime/etc}; otherwise {@code etc/} beside the jar.
     */
    public static Path defaultEtc() {
        Path home = home();
        if (home.getFileName() != null && home.getFileName().toString().equals("target") && home.getParent() != null)
            return home.getParent().resolve("etc");
        return home.resolve("etc");
    }

    /**
     * Starts the framework and the bundles, applies the settings, and returns once the components have
     * settled (the listening services printed). On failure the framework is stopped again.
     */
    public void start() throws LaunchException {
        long t0 = System.nanoTime();
        try {
            launch(t0);
        } catch (LaunchException e) {
            abort();
            throw e;
        } catch (Exception e) {
            abort();
            if (stopping()) throw new LaunchException("stopped while starting");
            throw new LaunchException("cannot start the framework: " + e, e);
        }
    }

    private void launch(long t0) throws Exception {
        List<Path> jars = new ArrayList<>(bundleJars(settings.bundles(), true));
        List<Integer> added = new ArrayList<>();
        for (Path folder : settings.addBundles()) {
            List<Path> more = bundleJars(folder, false);
            added.add(more.size());
            jars.addAll(more);
        }
        Path etc = settings.etc();
        if (settings.cache() != null) {
            cache = settings.cache().toAbsolutePath();
            String refused = claimCache(cache);
            if (refused != null) throw new LaunchException(refused);
        } else {
            cache = Files.createTempDirectory("rxrpc-felix-");
            temporaryCache = true;
        }
        if (etc == null) {
            etc = Files.createDirectories(cache.resolve("no-etc")); // FileInstall must watch some folder
        }
        slf4jSimpleDefaults();

        Framework f = new org.apache.felix.framework.FrameworkFactory().newFramework(frameworkProperties(etc));
        synchronized (lock) {
            if (stopRequested) throw new LaunchException("stopped while starting");
            framework = f;
        }
        f.init();
        BundleContext context = f.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            try {
                bundles.add(context.installBundle(jar.toUri().toString()));
            } catch (BundleException e) {
                throw new LaunchException("cannot install " + jar + ": " + e.getMessage(), e);
            }
        }
        f.start();
        StringBuilder from = new StringBuilder();
        from.append(bundles.size() - added.stream().mapToInt(Integer::intValue).sum())
                .append(" bundles from ")
                .append(settings.bundles());
        for (int i = 0; i < added.size(); i++) {
            from.append(", ")
                    .append(added.get(i))
                    .append(" from ")
                    .append(settings.addBundles().get(i));
        }
        out.println(PREFIX + "Apache Felix " + f.getVersion() + ", " + from + ", settings from "
                + (settings.etc() == null ? "(none)" : settings.etc() + "/*.cfg"));
        f.adapt(FrameworkWiring.class).resolveBundles(bundles);

        reporter = new RxServiceReporter(context, out, PREFIX);
        reporter.open();

        int failures = 0;
        for (Bundle b : bundles) {
            if (isFragment(b) || SCR.equals(b.getSymbolicName()) || FILEINSTALL.equals(b.getSymbolicName())) continue;
            failures += startBundle(b);
        }
        checkLogging(context);
        for (Bundle b : bySymbolicName(bundles, FILEINSTALL)) failures += startBundle(b);
        if (settings.etc() != null) awaitSettingsFiles(context, settings.etc());
        applyOverrides(context);
        if (settings.deploy() != null) watchDeployFolder(context, bundles);
        if (stopping()) throw new LaunchException("stopped while starting");
        List<Bundle> scr = bySymbolicName(bundles, SCR);
        if (scr.isEmpty()) out.println(PREFIX + "WARNING: no " + SCR + " bundle: no component will start");
        for (Bundle b : scr) failures += startBundle(b);

        awaitStartup(context);
        reportComponents(context);
        int listening = reporter.listeningCount();
        out.printf(
                Locale.ROOT,
                "%sstarted in %.1f s: %s%s; Ctrl-C or SIGTERM stops it%n",
                PREFIX,
                (System.nanoTime() - t0) / 1e9,
                listening == 0
                        ? "no Rx service is listening"
                        : listening + " Rx service" + (listening == 1 ? "" : "s") + " listening",
                failures == 0 ? "" : ", " + failures + " bundle(s) failed to start");
        out.flush();
    }

    private Map<String, String> frameworkProperties(Path etc) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, cache.resolve("felix").toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.fileinstall.dir", etc.toAbsolutePath().toString());
        p.put("felix.fileinstall.filter", ".*\\.cfg");
        p.put("felix.fileinstall.enableConfigSave", "false"); // never rewrite the user's files
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.poll", "1000");
        // Its temporary files (jars made of folders) in the framework storage, not in java.io.tmpdir.
        p.put("felix.fileinstall.tmpdir", cache.resolve("fileinstall").toString());
        // -Dfelix.*, -Dds.*, -Dorg.osgi.framework.* on the java command line win.
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("ds.") || key.startsWith("org.osgi.framework."))
                p.put(key, System.getProperty(key));
        }
        return p;
    }

    /** slf4j-simple reads system properties; these defaults apply unless set with -D. */
    private static void slf4jSimpleDefaults() {
        if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
            if (System.getProperty("org.slf4j.simpleLogger.dateTimeFormat") == null)
                System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        }
    }

    /**
     * Asks FileInstall to watch the deploy folder, and waits (bounded) until it has installed and started
     * the bundles already there.
     */
    private void watchDeployFolder(BundleContext context, List<Bundle> bundles)
            throws InterruptedException, LaunchException {
        if (bySymbolicName(bundles, FILEINSTALL).stream().noneMatch(b -> b.getState() == Bundle.ACTIVE)) {
            out.println(PREFIX + "WARNING: no active " + FILEINSTALL + " bundle: the deploy folder " + settings.deploy()
                    + " is not watched");
            return;
        }
        ConfigAdmin admin = ConfigAdmin.find(context);
        if (admin == null) {
            out.println(
                    PREFIX + "WARNING: no Config Admin: the deploy folder " + settings.deploy() + " is not watched");
            return;
        }
        deployFolder = new DeployFolder(context, settings.deploy(), out, PREFIX);
        try {
            deployFolder.open(admin, cache.resolve("fileinstall-deploy"));
        } catch (Exception e) {
            throw new LaunchException("cannot watch the deploy folder " + settings.deploy() + ": " + e, e);
        } finally {
            admin.release();
        }
        List<String> late = deployFolder.awaitPresentBundles(DEPLOY_WAIT_NANOS, this::stopping);
        if (!late.isEmpty() && !stopping()) {
            out.println(PREFIX + "WARNING: deploy: " + late + " not installed and started after "
                    + TimeUnit.NANOSECONDS.toSeconds(DEPLOY_WAIT_NANOS) + " s; going on without waiting");
        }
    }

    /**
     * The jars of a bundle folder.
     *
     * @param required whether the folder must hold at least one (the default set, or the one replacing it)
     */
    private static List<Path> bundleJars(Path folder, boolean required) throws LaunchException {
        if (folder == null || !Files.isDirectory(folder))
            throw new LaunchException("no bundle folder " + folder
                    + (required ? " (it is made by the build: mvn -B -q install -DskipTests, or --bundles DIR)" : ""));
        List<Path> jars;
        try (Stream<Path> s = Files.list(folder)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new LaunchException("cannot read the bundle folder " + folder + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty() && required) throw new LaunchException("no bundles (*.jar) in " + folder);
        return jars;
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static List<Bundle> bySymbolicName(List<Bundle> bundles, String name) {
        return bundles.stream().filter(b -> name.equals(b.getSymbolicName())).collect(Collectors.toList());
    }

    /** Starts a bundle; returns 1 (and says why) if it could not be started. */
    private int startBundle(Bundle b) throws LaunchException {
        if (stopping()) throw new LaunchException("stopped while starting");
        try {
            b.start();
            return 0;
        } catch (BundleException | IllegalStateException e) {
            if (stopping()) throw new LaunchException("stopped while starting");
            out.println(PREFIX + "ERROR: cannot start " + b.getSymbolicName() + " " + b.getVersion() + ": "
                    + e.getMessage());
            return 1;
        }
    }

    /** Says whether the bundles' slf4j really logs somewhere, and logs one line through it. */
    private void checkLogging(BundleContext context) {
        Bundle api = null;
        for (Bundle b : context.getBundles()) if (SLF4J_API.equals(b.getSymbolicName())) api = b;
        if (api == null) {
            out.println(PREFIX + "WARNING: no " + SLF4J_API + " bundle: the bundles cannot log");
            return;
        }
        try {
            Class<?> factory = api.loadClass("org.slf4j.LoggerFactory");
            Object loggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
            String name = loggerFactory.getClass().getName();
            if (name.contains("NOP") || name.contains("Substitute")) {
                out.println(PREFIX + "WARNING: slf4j in the framework logs nowhere (" + name + "): is slf4j-simple in "
                        + settings.bundles() + "?");
                return;
            }
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "org.rxrpc.runtime");
            logger.getClass()
                    .getMethod("info", String.class)
                    .invoke(logger, "bundles log through slf4j (" + name + ")");
        } catch (ReflectiveOperationException | RuntimeException e) {
            out.println(PREFIX + "WARNING: cannot check slf4j in the framework: " + e);
        }
    }

    /** Waits until FileInstall has put every {@code .cfg} file of the folder into Config Admin. */
    private void awaitSettingsFiles(BundleContext context, Path etc) throws InterruptedException, LaunchException {
        Set<String> expected;
        try (Stream<Path> s = Files.list(etc)) {
            expected = s.filter(p -> p.getFileName().toString().endsWith(".cfg") && Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new LaunchException("cannot read the settings folder " + etc + ": " + e.getMessage(), e);
        }
        if (expected.isEmpty()) return;
        long deadline = System.nanoTime() + SETTINGS_WAIT_NANOS;
        Set<String> seen = Set.of();
        while (!stopping()) {
            ConfigAdmin admin = ConfigAdmin.find(context);
            if (admin != null) {
                try {
                    seen = admin.fileInstallFiles();
                } catch (Exception e) {
                    // not ready yet
                } finally {
                    admin.release();
                }
                if (seen.containsAll(expected)) return;
            }
            if (System.nanoTime() - deadline > 0) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(seen);
                out.println(PREFIX + "WARNING: "
                        + (admin == null ? "no Config Admin" : "FileInstall has not read " + missing)
                        + " after " + TimeUnit.NANOSECONDS.toSeconds(SETTINGS_WAIT_NANOS)
                        + " s; going on without");
                return;
            }
            Thread.sleep(20);
        }
    }

    private void applyOverrides(BundleContext context) throws LaunchException {
        if (settings.overrides().isEmpty()) return;
        ConfigAdmin admin = ConfigAdmin.find(context);
        if (admin == null) throw new LaunchException("no Config Admin service: cannot apply " + settings.overrides());
        try {
            for (Map.Entry<String, Map<String, Object>> e : settings.overrides().entrySet()) {
                admin.update(e.getKey(), e.getValue());
                String values = e.getValue().entrySet().stream()
                        .map(v -> v.getKey() + "=" + v.getValue())
                        .sorted()
                        .collect(Collectors.joining(" "));
                out.println(PREFIX + "setting " + e.getKey() + " " + values + " (command line)");
            }
        } catch (Exception e) {
            throw new LaunchException("cannot apply the command-line settings: " + e, e);
        } finally {
            admin.release();
        }
    }

    /**
     * Waits (bounded) until no immediate component is being activated and every listening service has
     * been reported, twice in a row.
     */
    private void awaitStartup(BundleContext context) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_WAIT_NANOS;
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() - deadline < 0 && !stopping()) {
            Thread.sleep(50);
            quiet = reporter.idle() && ComponentStates.settled(context) ? quiet + 1 : 0;
        }
    }

    /** Names the components that are not active, with the reason when SCR knows it. */
    private void reportComponents(BundleContext context) {
        for (ComponentStates.Component c : ComponentStates.of(context)) {
            if (c.state() == ComponentStates.ACTIVE || (c.state() == ComponentStates.SATISFIED && !c.immediate()))
                continue;
            String bundle = c.bundle() == null ? "?" : c.bundle().getSymbolicName();
            out.println(PREFIX + "component " + c.name() + " (" + bundle + ") is "
                    + (c.state() == 0 ? "not enabled or waiting for a configuration" : c.stateName())
                    + (c.failure() == null ? "" : ": " + firstLine(c.failure())));
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private boolean stopping() {
        synchronized (lock) {
            return stopRequested;
        }
    }

    /**
     * After {@link #start}: installs and starts the Gogo shell's bundles of {@code folder} (runtime,
     * commands, and the console, which reads this terminal; leaving it stops the framework).
     */
    public void startShell(Path folder) throws LaunchException {
        Gogo.install(framework().getBundleContext(), folder, true);
    }

    /**
     * After {@link #start}: runs Gogo command lines in one session and prints what each returns.
     *
     * @return 0 if every command succeeded, else 1
     */
    public int execute(Path folder, List<String> commands, PrintStream commandOut, PrintStream errors)
            throws LaunchException {
        BundleContext context = framework().getBundleContext();
        Gogo.install(context, folder, false);
        return Gogo.execute(context, commands, commandOut, errors);
    }

    /** The framework, once created (null before {@link #start}). */
    public Framework framework() {
        synchronized (lock) {
            return framework;
        }
    }

    /**
     * Stops the framework (every bundle stops, every component deactivates) and waits for it, at most the
     * stop timeout. Safe to call from any thread, more than once, and before or during {@link #start}.
     *
     * @return true if the framework stopped (or never ran) within the timeout
     */
    public boolean stop() {
        Framework f;
        synchronized (lock) {
            f = framework;
            if (!stopRequested) {
                stopRequested = true;
                stopStartNanos = System.nanoTime();
                if (f != null && (f.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                    out.println(PREFIX + "stopping");
                    out.flush();
                }
            }
        }
        if (f == null) return true;
        try {
            f.stop();
            FrameworkEvent event = f.waitForStop(settings.stopTimeout().toMillis());
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) return false;
            finish(event);
            return true;
        } catch (BundleException e) {
            out.println(PREFIX + "ERROR: cannot stop the framework: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Blocks until the framework has stopped, for whatever reason.
     *
     * @return 0 if it stopped cleanly, 1 if with an error
     */
    public int awaitStop() throws InterruptedException {
        Framework f = framework();
        if (f == null) return 0;
        FrameworkEvent event = f.waitForStop(0);
        return finish(event);
    }

    private void abort() {
        Framework f = framework();
        if (f == null) {
            deleteTemporaryCache();
            return;
        }
        try {
            f.stop();
            FrameworkEvent event = f.waitForStop(settings.stopTimeout().toMillis());
            if (event.getType() != FrameworkEvent.WAIT_TIMEDOUT) finish(event);
        } catch (BundleException | InterruptedException e) {
            // reported by the caller's exception
        }
    }

    /**
     * Once: says how the framework stopped and removes a temporary cache. A second caller waits until
     * the first is done (main must not exit while another thread is still deleting).
     */
    private int finish(FrameworkEvent event) {
        boolean clean = event.getType() == FrameworkEvent.STOPPED;
        synchronized (lock) {
            if (finished) return clean ? 0 : 1;
            finished = true;
            if (reporter != null) reporter.frameworkStopped();
            if (deployFolder != null) deployFolder.close();
            long since = stopRequested ? stopStartNanos : System.nanoTime();
            if (clean) {
                out.printf(
                        Locale.ROOT,
                        "%sframework stopped cleanly in %.1f s%n",
                        PREFIX,
                        (System.nanoTime() - since) / 1e9);
            } else {
                out.println(PREFIX + "framework stopped with an error: "
                        + (event.getThrowable() == null ? "event " + event.getType() : event.getThrowable()));
            }
            out.flush();
            deleteTemporaryCache();
        }
        return clean ? 0 : 1;
    }

    private void deleteTemporaryCache() {
        if (!temporaryCache || cache == null) return;
        try (Stream<Path> s = Files.walk(cache)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }
}
