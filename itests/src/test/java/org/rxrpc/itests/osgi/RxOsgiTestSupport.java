package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxTransport;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;

/**
 * What every OSGi test shares: the framework (Felix with SCR, Config Admin, slf4j-simple and the
 * rxrpc bundles from {@code file:} copies; the rxperf bundle installed but not started, so that a test
 * gives it a free port through Config Admin first), and helpers that look things up, wait with a bound,
 * configure, count threads and file descriptors, and make real rxperf calls.
 *
 * <p>Every test method runs inside the framework (the pax-exam probe), in the failsafe JVM.
 */
public abstract class RxOsgiTestSupport {
    static final String LOOPBACK = "127.0.0.1";
    static final String API_BSN = "org.rxrpc.api";
    static final String TRANSPORT_BSN = "org.rxrpc.transport";
    static final String RXPERF_BSN = "org.rxrpc.rxperf";
    static final String TRANSPORT_PID = "org.rxrpc.transport";
    static final String RXPERF_PID = "org.rxrpc.rxperf";
    /** The rxperf worker thread is named after the bundle; its handler threads get "-call-N". */
    static final String RXPERF_WORKER = RXPERF_BSN;

    static final String RXPERF_HANDLER_PREFIX = RXPERF_BSN + "-call-";

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] config() {
        String dir = System.getProperty("rxrpc.itests.bundles", "target/osgi-bundles");
        return options(
                cleanCaches(true),
                systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"),
                systemProperty("org.slf4j.simpleLogger.showThreadName").value("true"),
                junitBundles(),
                fileBundle(dir, "slf4j-api.jar"),
                fileBundle(dir, "slf4j-simple.jar"),
                fileBundle(dir, "org.osgi.util.function.jar"),
                fileBundle(dir, "org.osgi.util.promise.jar"),
                fileBundle(dir, "org.osgi.service.component.jar"),
                fileBundle(dir, "org.apache.felix.configadmin.jar"),
                fileBundle(dir, "org.apache.felix.scr.jar"),
                fileBundle(dir, "rxrpc-api.jar"),
                fileBundle(dir, "rxrpc-transport.jar"),
                fileBundle(dir, "rxrpc-service-support.jar"),
                fileBundle(dir, "rxrpc-xdr.jar"), // the runtime of generated code (the cm bundle imports it)
                // Started by the tests once Config Admin holds a free port for it (its default is 7009).
                CoreOptions.bundle(fileUrl(dir, "rxperf-service.jar")).noStart());
    }

    private static Option fileBundle(String dir, String name) {
        return CoreOptions.bundle(fileUrl(dir, name));
    }

    private static String fileUrl(String dir, String name) {
        File f = new File(dir, name);
        if (!f.isFile()) {
            throw new IllegalStateException(
                    f + " is missing: run the build through `mvn verify` (maven-dependency-plugin"
                            + " copies the bundles under test there in pre-integration-test)");
        }
        return f.toURI().toString();
    }

    /**
     * Fails on any bundle that is not ACTIVE (a fragment: RESOLVED), naming the framework's resolution
     * error. The rxperf bundle, left stopped on purpose, must still resolve.
     */
    @Before
    public void everyBundleResolves() {
        List<String> problems = bundleProblems(false);
        if (!problems.isEmpty()) fail("bundles not resolved or not active:\n  " + String.join("\n  ", problems));
    }

    /**
     * One line per bundle that does not resolve, or (unless it is the rxperf bundle and {@code
     * rxperfToo} is false) is not ACTIVE after trying to start it, with the framework's reason.
     */
    List<String> bundleProblems(boolean rxperfToo) {
        List<String> problems = new ArrayList<>();
        org.osgi.framework.wiring.FrameworkWiring wiring =
                context.getBundle(0).adapt(org.osgi.framework.wiring.FrameworkWiring.class);
        wiring.resolveBundles(null);
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            String name = b.getSymbolicName() + " " + b.getVersion() + " (" + b.getLocation() + ")";
            if (b.getState() == Bundle.INSTALLED) {
                // Not resolved: starting it makes the framework say why.
                try {
                    b.start();
                    problems.add(name + " did not resolve, yet started");
                } catch (BundleException e) {
                    problems.add(name + " does not resolve: " + e.getMessage());
                }
                continue;
            }
            if (fragment || (!rxperfToo && RXPERF_BSN.equals(b.getSymbolicName()))) continue;
            if (b.getState() != Bundle.ACTIVE) {
                try {
                    b.start();
                } catch (BundleException e) {
                    problems.add(name + " does not start: " + e.getMessage());
                    continue;
                }
                if (b.getState() != Bundle.ACTIVE) problems.add(name + " is in state " + stateName(b.getState()));
            }
        }
        return problems;
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "state " + state;
        }
    }

    // ---- lookups ----

    Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) return b;
        }
        throw new AssertionError("no bundle " + symbolicName + " installed");
    }

    /** Trackers of {@link #service}, closed after each test (closing ungets: a service factory's object dies). */
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @After
    public void closeTrackers() {
        for (ServiceTracker<?, ?> t : trackers) t.close();
        trackers.clear();
    }

    /** The service, waiting up to {@code millis} for it to be registered. */
    <T> T service(Class<T> type, long millis) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        try {
            T s = tracker.waitForService(millis);
            assertNotNull(type.getSimpleName() + " not registered within " + millis + " ms", s);
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    boolean registered(Class<?> type) {
        return context.getServiceReference(type) != null;
    }

    ServiceReference<?>[] references(String type, String filter) {
        try {
            return context.getServiceReferences(type, filter);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    RxEndpoints endpoints() {
        return service(RxEndpoints.class, 10_000);
    }

    RxTransport transport() {
        return service(RxTransport.class, 10_000);
    }

    // ---- Config Admin ----

    /** Creates or replaces the configuration of {@code pid}, for whichever bundle uses it ("?"). */
    void configure(String pid, Map<String, Object> properties) {
        ConfigurationAdmin cm = service(ConfigurationAdmin.class, 10_000);
        try {
            org.osgi.service.cm.Configuration c = cm.getConfiguration(pid, "?");
            Dictionary<String, Object> d = new Hashtable<>(properties);
            c.update(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Configures the rxperf bundle (port, backlog, live-call cap, verify). */
    void configureRxperf(int port, int backlog, int maxLiveCalls, boolean verify) {
        configure(
                RXPERF_PID,
                Map.of(
                        "rxrpc.port",
                        port,
                        "rxrpc.backlog",
                        backlog,
                        "rxrpc.maxLiveCalls",
                        maxLiveCalls,
                        "verify",
                        verify));
    }

    /** Configures, starts the rxperf bundle and waits until a real call is served. */
    void startRxperf(int port, int backlog, int maxLiveCalls, boolean verify) throws Exception {
        configureRxperf(port, backlog, maxLiveCalls, verify);
        bundle(RXPERF_BSN).start();
        awaitServing(port, 15_000);
    }

    // ---- waiting ----

    static void await(String what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0)
                throw new AssertionError("timed out after " + millis + " ms: " + what);
            sleep(10);
        }
    }

    /** Like {@link #await} with a message computed at the time of failure. */
    static void await(Supplier<String> what, long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + millis + " ms: " + what.get());
            }
            sleep(10);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ---- ports, threads, file descriptors, heap ----

    /** A UDP port free on 127.0.0.1 right now. */
    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the UDP port can be bound on 127.0.0.1 (nobody holds it). */
    static boolean udpPortFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static List<Thread> threads(Predicate<String> name) {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && name.test(t.getName())) out.add(t);
        }
        return out;
    }

    static int threadCount(Predicate<String> name) {
        return threads(name).size();
    }

    static List<String> threadNames(Predicate<String> name) {
        List<String> out = new ArrayList<>();
        for (Thread t : threads(name)) out.add(t.getName());
        out.sort(null);
        return out;
    }

    static Predicate<String> named(String exact) {
        return exact::equals;
    }

    static Predicate<String> prefixed(String prefix) {
        return n -> n.startsWith(prefix);
    }

    /** Open file descriptors of this JVM (entries of /proc/self/fd). */
    static int openFileDescriptors() {
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Open sockets of this JVM (fd links to socket:[inode]). */
    static int openSockets() {
        int n = 0;
        try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readSymbolicLink(p).toString().startsWith("socket:")) n++;
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }

    /** Used heap after a few full collections. */
    static long retainedHeap() {
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * The live-object class histogram (jcmd GC.class_histogram, which collects first): class name to
     * {instances, bytes}.
     */
    static Map<String, long[]> classHistogram() {
        try {
            String text = (String) java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {null},
                            new String[] {String[].class.getName()});
            Map<String, long[]> out = new java.util.HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":")) {
                    // "num: instances bytes class (module)": classes of different loaders add up by name
                    long[] v = out.computeIfAbsent(f[3], k -> new long[2]);
                    v[0] += Long.parseLong(f[1]);
                    v[1] += Long.parseLong(f[2]);
                }
            }
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** The {@code n} classes whose live bytes grew most from {@code before} to {@code after}. */
    static String histogramGrowth(Map<String, long[]> before, Map<String, long[]> after, int n) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            grown.add(Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]}));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, grown.size()); i++) {
            long[] v = grown.get(i).getValue();
            sb.append(String.format(
                    "%n    %+10d bytes %+8d instances  %s",
                    v[1], v[0], grown.get(i).getKey()));
        }
        return sb.toString();
    }

    // ---- real Rx calls ----

    /** A client endpoint of our own on an ephemeral loopback port (close it when done). */
    RxEndpoint openClient() {
        return openClient(transport());
    }

    static RxEndpoint openClient(RxTransport transport) {
        return transport.open(EndpointOptions.defaults()
                .withBind(LOOPBACK, 0)
                .withTimeouts(5_000, 60_000, 600_000)
                .withBuffers(8 << 20, 1024));
    }

    static InetSocketAddress server(int port) {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** One rxperf RPC, request and reply checked byte by byte. */
    static void rpc(RxEndpoint client, int port, long requestBytes, long replyBytes, CallOptions options)
            throws InterruptedException {
        new RxperfClient(client, server(port), options).call(Rxperf.OP_RPC, requestBytes, replyBytes, true);
    }

    /**
     * Makes small calls from a fresh client endpoint until one is served, up to {@code millis}. A fresh
     * endpoint (new epoch, new connection) per attempt keeps this independent of connection reuse.
     */
    void awaitServing(int port, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        Throwable last = null;
        while (System.nanoTime() - deadline < 0) {
            long left = Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try (RxEndpoint client = openClient()) {
                rpc(client, port, 64, 64, CallOptions.DEFAULT.withHardTimeoutMillis(Math.min(left, 5_000)));
                return;
            } catch (RxCallAbortedException e) {
                last = e;
                sleep(50);
            }
        }
        // No cause: pax-exam reports the cause of an AssertionError instead of its message.
        throw new AssertionError("rxperf on udp " + port + " did not serve a call within " + millis + " ms; last: "
                + (last == null ? "none" : last.getMessage()));
    }
}
