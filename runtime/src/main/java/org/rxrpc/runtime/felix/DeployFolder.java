package org.rxrpc.runtime.felix;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Requirement;

/**
 * The deploy folder: Felix FileInstall watches it for bundles while the runtime runs. A jar dropped in is
 * installed and started, a replaced one updated, a removed one uninstalled. It is FileInstall's second
 * watcher (the first reads the settings folder's {@code .cfg} files), made by a configuration of its
 * factory PID {@value #FACTORY_PID} in Config Admin.
 *
 * <p>Prints what happens to the bundles of the folder, and says why one could not be started (the
 * requirements nothing provides). Every bundle update or uninstall after the start is printed too,
 * wherever the bundle came from: in this runtime only the deploy folder makes them (FileInstall updates
 * an installed bundle of the same symbolic name and version instead of installing a second one).
 */
final class DeployFolder implements SynchronousBundleListener {
    static final String FACTORY_PID = "org.apache.felix.fileinstall";
    /** FileInstall scans every second and acts on a file once it is the same in two scans. */
    static final long POLL_MILLIS = 1000;
    /** How long after an install or update a bundle that is still not started is reported. */
    private static final long START_CHECK_MILLIS = 3 * POLL_MILLIS;

    private final BundleContext context;
    private final Path folder;
    private final PrintStream out;
    private final String prefix;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rxrpc-runtime-deploy");
        t.setDaemon(true);
        return t;
    });

    DeployFolder(BundleContext context, Path folder, PrintStream out, String prefix) {
        this.context = context;
        this.folder = folder.toAbsolutePath().normalize();
        this.out = out;
        this.prefix = prefix;
    }

    /**
     * The FileInstall watcher's settings. Only jars; the start is persistent; the refresh after an install
     * or update stays within the folder's own bundles (by default FileInstall also refreshes any bundle
     * of the framework with an optional import that a new bundle exports: that would restart SCR or the
     * transport under the running services).
     */
    static Map<String, Object> watcherProperties(Path folder, Path tmpDir) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("felix.fileinstall.dir", folder.toAbsolutePath().normalize().toString());
        p.put("felix.fileinstall.filter", ".*\\.jar");
        p.put("felix.fileinstall.poll", String.valueOf(POLL_MILLIS));
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.optionalImportRefreshScope", "managed");
        p.put("felix.fileinstall.fragmentRefreshScope", "managed");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.tmpdir", tmpDir.toAbsolutePath().toString());
        return p;
    }

    /** Starts reporting and asks FileInstall to watch the folder. */
    void open(ConfigAdmin admin, Path tmpDir) throws Exception {
        context.addBundleListener(this);
        out.println(prefix + "deploy folder " + folder + ": a bundle (*.jar) put there is installed and started,"
                + " replaced is updated, removed is uninstalled");
        admin.createFactoryConfiguration(FACTORY_PID, watcherProperties(folder, tmpDir));
    }

    void close() {
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException e) {
            // the framework is gone already
        }
        checks.shutdownNow();
    }

    /**
     * Waits, at most {@code timeoutNanos}, until FileInstall has installed the bundles that are in the
     * folder now and started those that can start, so that their components activate with the others.
     *
     * @return the jars it has not handled in time (empty if all were)
     */
    List<String> awaitPresentBundles(long timeoutNanos, BooleanSupplier stopping) throws InterruptedException {
        Map<String, String[]> expected = new LinkedHashMap<>(); // file name -> symbolic name, version
        try (Stream<Path> s = Files.list(folder)) {
            for (Path jar : s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList())) {
                String[] id = identity(jar);
                if (id == null) {
                    out.println(prefix + "WARNING: deploy: " + jar.getFileName()
                            + " is not a bundle (no Bundle-SymbolicName): ignored");
                } else {
                    expected.put(jar.getFileName().toString(), id);
                }
            }
        } catch (IOException e) {
            out.println(prefix + "WARNING: cannot read the deploy folder " + folder + ": " + e.getMessage());
            return List.of();
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (!stopping.getAsBoolean()) {
            expected.values().removeIf(id -> settled(find(id[0], id[1])));
            if (expected.isEmpty() || System.nanoTime() - deadline > 0) break;
            Thread.sleep(20);
        }
        return new ArrayList<>(expected.keySet());
    }

    /** Symbolic name and version (as a {@link Version} string) from a jar's manifest, or null. */
    private static String[] identity(Path jar) {
        try (JarFile f = new JarFile(jar.toFile())) {
            Manifest m = f.getManifest();
            if (m == null) return null;
            Attributes a = m.getMainAttributes();
            String name = a.getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null) return null;
            int semi = name.indexOf(';');
            String version = a.getValue(Constants.BUNDLE_VERSION);
            return new String[] {
                (semi < 0 ? name : name.substring(0, semi)).trim(),
                (version == null ? Version.emptyVersion : Version.parseVersion(version.trim())).toString()
            };
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private Bundle find(String symbolicName, String version) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())
                    && version.equals(b.getVersion().toString())) return b;
        }
        return null;
    }

    /** Installed, and started or unable to start (a fragment, or requirements nothing provides). */
    private boolean settled(Bundle b) {
        if (b == null) return false;
        int state = b.getState();
        return state == Bundle.ACTIVE || state == Bundle.STARTING || isFragment(b) || !unmet(b).isEmpty();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        boolean ours = ours(b);
        String what;
        switch (event.getType()) {
            case BundleEvent.INSTALLED -> what = "installed";
            case BundleEvent.STARTED -> what = "started";
            case BundleEvent.STOPPED -> what = "stopped";
            case BundleEvent.UPDATED -> what = "updated";
            case BundleEvent.UNINSTALLED -> what = "uninstalled";
            default -> what = null;
        }
        if (what == null) return;
        boolean anyBundle = event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.UNINSTALLED;
        if (!ours && !anyBundle) return;
        out.println(prefix + "deploy: " + describe(b) + " " + what);
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.UPDATED) {
            try {
                checks.schedule(() -> checkStarted(b), START_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closed: the framework is stopping
            }
        }
    }

    /** Says so if a bundle FileInstall installed or updated has not started, with what it misses. */
    private void checkStarted(Bundle b) {
        int state = b.getState();
        if (state != Bundle.INSTALLED && state != Bundle.RESOLVED) return;
        if (isFragment(b) || context.getBundle(0).getState() != Bundle.ACTIVE) return;
        List<String> unmet = unmet(b);
        out.println(prefix + "WARNING: deploy: " + describe(b) + " is not started ("
                + (state == Bundle.INSTALLED ? "not resolved" : "resolved") + ")"
                + (unmet.isEmpty() ? "" : ": nothing provides " + String.join(", ", unmet)));
    }

    /** The mandatory requirements of an unresolved bundle that no bundle of the framework provides. */
    private List<String> unmet(Bundle b) {
        if (b.getState() != Bundle.INSTALLED) return List.of();
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) return List.of();
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        List<String> unmet = new ArrayList<>();
        for (Requirement r : revision.getRequirements(null)) {
            if (Constants.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))) continue;
            if (wiring.findProviders(r).isEmpty()) {
                String filter = r.getDirectives().get(Constants.FILTER_DIRECTIVE);
                unmet.add(r.getNamespace() + (filter == null ? "" : " " + filter));
            }
        }
        return unmet;
    }

    /** Whether the bundle was installed from a file of the folder (FileInstall: the file's URI as location). */
    private boolean ours(Bundle b) {
        Path file = file(b);
        return file != null && folder.equals(file.getParent());
    }

    private static Path file(Bundle b) {
        String location = b.getLocation();
        if (location == null || !location.startsWith("file:")) return null;
        try {
            return Path.of(URI.create(location)).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String describe(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + ", " + fileName(b) + ")";
    }

    private static String fileName(Bundle b) {
        Path file = file(b);
        return file == null || file.getFileName() == null
                ? b.getLocation()
                : file.getFileName().toString();
    }

    private static boolean isFragment(Bundle b) {
        BundleRevision r = b.adapt(BundleRevision.class);
        return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }
}
