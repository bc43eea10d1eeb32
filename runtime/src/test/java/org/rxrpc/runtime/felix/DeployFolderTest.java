package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.runtime.Main;
import org.rxrpc.runtime.felix.hotplug.EchoActivator;
import org.rxrpc.runtime.felix.hotplug.RxEchoActivator;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine;

/**
 * Third-party bundles in the running runtime: the deploy folder (Felix FileInstall installs, updates and
 * uninstalls what is put there, removed from there) and {@code --add-bundles} (more folders installed at
 * start). The bundles are built here: a jar with a manifest and {@link EchoActivator}, which answers UDP
 * datagrams with its bundle's name and version, or {@link RxEchoActivator}, an Rx service on the
 * whiteboard; so the test sees from outside which version serves.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeployFolderTest {
    private static final String PREFIX = "rxrpc runtime: ";
    private static final Duration ECHO_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void aBundleDroppedInIsStartedItsReplacementUpdatesItAndRemovingItUninstallsItWhileTheRuntimeRuns()
            throws Exception {
        Path deploy = temp.resolve("deploy"); // not there yet: the runtime makes it
        int echoPort = freeUdpPort();
        try (RuntimeProcess runtime = startRuntime("--deploy", deploy.toString())) {
            runtime.await(l -> l.startsWith(PREFIX + "started in "));
            assertTrue(Files.isDirectory(deploy), "the deploy folder was not created");
            assertTrue(
                    runtime.has((PREFIX + "deploy folder " + deploy + ": a bundle (*.jar) put there is installed"
                            + " and started, replaced is updated, removed is uninstalled")::equals),
                    runtime.output());

            // Dropped in: installed and started, and it serves.
            drop(bundleJar("org.example.hotplug", "1.0.0", echoPort), deploy.resolve("hotplug.jar"));
            String installed = runtime.await(deployLine("org.example.hotplug 1.0.0", "hotplug.jar", "installed"));
            runtime.await(deployLine("org.example.hotplug 1.0.0", "hotplug.jar", "started"));
            runtime.await(("hotplug: org.example.hotplug 1.0.0 serving udp 127.0.0.1:" + echoPort)::equals);
            assertEquals("org.example.hotplug 1.0.0", awaitEcho(echoPort, "org.example.hotplug 1.0.0"));
            long id = bundleId(installed);

            // Replaced by a new version: the same bundle is updated (stopped, updated, started again).
            drop(bundleJar("org.example.hotplug", "2.0.0", echoPort), deploy.resolve("hotplug.jar"));
            String updated = runtime.await(deployLine("org.example.hotplug 2.0.0", "hotplug.jar", "updated"));
            assertEquals(id, bundleId(updated), "an update keeps the bundle: " + updated);
            runtime.await(deployLine("org.example.hotplug 2.0.0", "hotplug.jar", "started"));
            assertTrue(runtime.has("hotplug: org.example.hotplug 1.0.0 stopped"::equals), runtime.output());
            assertEquals("org.example.hotplug 2.0.0", awaitEcho(echoPort, "org.example.hotplug 2.0.0"));
            assertEquals(1, runtime.count(deployLine("org.example.hotplug", "hotplug.jar", "installed")));

            // Removed: stopped and uninstalled; its socket is closed.
            Files.delete(deploy.resolve("hotplug.jar"));
            runtime.await(deployLine("org.example.hotplug 2.0.0", "hotplug.jar", "uninstalled"));
            assertTrue(runtime.has("hotplug: org.example.hotplug 2.0.0 stopped"::equals), runtime.output());
            assertTrue(
                    runtime.has(deployLine("org.example.hotplug 2.0.0", "hotplug.jar", "stopped")), runtime.output());
            assertPortFree(echoPort);

            // The runtime's own services still run, and it stops cleanly.
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
            assertTrue(runtime.has(l -> l.startsWith(PREFIX + "framework stopped cleanly in ")), runtime.output());
            assertFalse(runtime.has(l -> l.contains("ERROR") || l.contains("WARNING")), runtime.output());
            assertEquals(
                    1,
                    runtime.count(l -> l.startsWith("hotplug: ")
                            && l.endsWith(" serving udp 127.0.0.1:" + echoPort)
                            && l.contains("2.0.0")));
        }
    }

    /**
     * The issue's case: a third-party Rx service bundle (an {@code RxCallHandler} on the whiteboard, see
     * {@link RxEchoActivator}) dropped into the running runtime is served, its new version serves in its
     * place, and once removed it no longer is.
     */
    @Test
    void aThirdPartyRxServiceDroppedInIsServedItsNewVersionReplacesItAndRemovingItStopsIt() throws Exception {
        Path deploy = temp.resolve("deploy");
        int port = freeUdpPort();
        int serviceId = 2042;
        Pattern listening = Pattern.compile(Pattern.quote(PREFIX + "service " + serviceId + " (")
                + ".*\\) listening on udp " + Pattern.quote("127.0.0.1:" + port));
        try (RuntimeProcess runtime = startRuntime("--deploy", deploy.toString());
                RxEndpoint client =
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            runtime.await(l -> l.startsWith(PREFIX + "started in "));

            drop(rxServiceJar("org.example.rxecho", "1.0.0", serviceId, port), deploy.resolve("rxecho.jar"));
            runtime.await(deployLine("org.example.rxecho 1.0.0", "rxecho.jar", "started"));
            runtime.await(l -> listening.matcher(l).matches());
            assertEquals(
                    "org.example.rxecho 1.0.0: ping",
                    awaitRxReply(client, port, serviceId, "org.example.rxecho 1.0.0"));

            drop(rxServiceJar("org.example.rxecho", "2.0.0", serviceId, port), deploy.resolve("rxecho.jar"));
            runtime.await(deployLine("org.example.rxecho 2.0.0", "rxecho.jar", "started"));
            assertEquals(
                    "org.example.rxecho 2.0.0: ping",
                    awaitRxReply(client, port, serviceId, "org.example.rxecho 2.0.0"));

            Files.delete(deploy.resolve("rxecho.jar"));
            runtime.await(deployLine("org.example.rxecho 2.0.0", "rxecho.jar", "uninstalled"));
            runtime.await(l -> l.startsWith(PREFIX + "service " + serviceId + " (")
                    && l.endsWith(") stopped listening on udp 127.0.0.1:" + port));
            assertThrows(RuntimeException.class, () -> rxCall(client, port, serviceId, 3_000));

            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
            assertTrue(runtime.has(l -> l.startsWith(PREFIX + "framework stopped cleanly in ")), runtime.output());
            assertFalse(runtime.has(l -> l.contains("ERROR") || l.contains("WARNING")), runtime.output());
        }
    }

    @Test
    void bundlesOfTheDeployFolderAndOfEachAddBundlesFolderStartBeforeTheStartupReport() throws Exception {
        int[] ports = freeUdpPorts(3);
        Path deploy = Files.createDirectories(temp.resolve("deploy"));
        Path first = Files.createDirectories(temp.resolve("first"));
        Path second = Files.createDirectories(temp.resolve("second"));
        drop(bundleJar("org.example.deployed", "1.0.0", ports[0]), deploy.resolve("deployed.jar"));
        drop(bundleJar("org.example.first", "1.0.0", ports[1]), first.resolve("first.jar"));
        drop(bundleJar("org.example.second", "1.0.0", ports[2]), second.resolve("second.jar"));
        // Not a bundle, and a bundle that cannot resolve: both said, neither holds the start up.
        Files.writeString(deploy.resolve("notes.jar"), "not a jar");
        drop(
                bundleJar(
                        "org.example.unresolved", "1.0.0", freeUdpPort(ports), "org.example.nowhere;version=\"[1,2)\""),
                deploy.resolve("unresolved.jar"));
        try (RuntimeProcess runtime = startRuntime(
                "--deploy", deploy.toString(), "--add-bundles", first.toString(), "--add-bundles", second.toString())) {
            runtime.await(l -> l.startsWith(PREFIX + "started in "));
            // The default set (its size is FelixRuntimeTest's business), then one bundle from each folder.
            Pattern felix = Pattern.compile(Pattern.quote(PREFIX + "Apache Felix 7.0.5, ") + "\\d+ bundles from .*"
                    + Pattern.quote(", 1 from " + first + ", 1 from " + second + ", settings from ") + ".*");
            assertTrue(runtime.has(l -> felix.matcher(l).matches()), runtime.output());
            int report = runtime.indexOf(l -> l.startsWith(PREFIX + "started in "));
            for (String name : List.of("deployed", "first", "second")) {
                int serving = runtime.indexOf(l -> l.startsWith("hotplug: org.example." + name + " 1.0.0 serving"));
                assertTrue(
                        serving >= 0 && serving < report,
                        name + " not started before the report:\n" + runtime.output());
            }
            assertTrue(runtime.indexOf(deployLine("org.example.deployed 1.0.0", "deployed.jar", "started")) < report);
            assertEquals("org.example.deployed 1.0.0", awaitEcho(ports[0], "org.example.deployed 1.0.0"));
            assertEquals("org.example.first 1.0.0", awaitEcho(ports[1], "org.example.first 1.0.0"));
            assertEquals("org.example.second 1.0.0", awaitEcho(ports[2], "org.example.second 1.0.0"));

            assertTrue(
                    runtime.has((PREFIX
                            + "WARNING: deploy: notes.jar is not a bundle (no Bundle-SymbolicName): ignored")::equals),
                    runtime.output());
            String unresolved =
                    runtime.await(l -> l.startsWith(PREFIX + "WARNING: deploy: org.example.unresolved 1.0.0 (bundle "));
            assertTrue(
                    unresolved.endsWith(", unresolved.jar) is not started (not resolved): nothing provides"
                            + " osgi.wiring.package (&(osgi.wiring.package=org.example.nowhere)(version>=1.0.0)"
                            + "(!(version>=2.0.0)))"),
                    unresolved);
            assertFalse(runtime.has(l -> l.contains("not installed and started after")), runtime.output());

            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
            assertTrue(runtime.has(l -> l.startsWith(PREFIX + "framework stopped cleanly in ")), runtime.output());
            for (String name : List.of("deployed", "first", "second"))
                assertTrue(runtime.has(("hotplug: org.example." + name + " 1.0.0 stopped")::equals), runtime.output());
        }
        for (int port : ports) assertPortFree(port);
    }

    @Test
    void helpSaysThatBundlesReplacesTheDefaultSetAndThatAddBundlesAndDeployAdd() {
        StringWriter help = new StringWriter();
        new CommandLine(new RunCommand()).usage(new PrintWriter(help));
        String text = help.toString().replaceAll("\\s+", " ");
        assertTrue(
                text.contains("--bundles=DIR Bundle folder: every *.jar in it is installed at start. It replaces"
                        + " the default set"),
                help.toString());
        assertTrue(text.contains("to add bundles to the default set, use --add-bundles or --deploy"), help.toString());
        assertTrue(
                text.contains("--add-bundles=DIR Also install and start the *.jar of this folder at start, on top"
                        + " of the bundle folder (repeatable"),
                help.toString());
        assertTrue(text.contains("--deploy=DIR Deploy folder, watched while the runtime runs"), help.toString());
        assertTrue(text.contains("(default: runtime/deploy, beside runtime/etc; created if missing)"), help.toString());

        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--add-bundles", "a", "--add-bundles", "b", "--deploy", "d");
        assertEquals(List.of(Path.of("a"), Path.of("b")), run.addBundles);
        assertEquals(Path.of("d"), run.deploy);
    }

    @Test
    void aMissingAddBundlesFolderOrADeployPathThatIsAFileIsAUsageError() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "x");
        assertEquals(
                2, runInProcess("run", "--add-bundles", temp.resolve("missing").toString()));
        assertEquals(2, runInProcess("run", "--deploy", file.toString()));
    }

    // ---- helpers ----

    private static RuntimeProcess startRuntime(String... args) throws IOException {
        int rxperf = freeUdpPort();
        int cm = freeUdpPort(rxperf);
        String[] all = new String[args.length + 5];
        all[0] = "run";
        all[1] = "--rxperf-port";
        all[2] = String.valueOf(rxperf);
        all[3] = "--cm-port";
        all[4] = String.valueOf(cm);
        System.arraycopy(args, 0, all, 5, args.length);
        return RuntimeProcess.start(all);
    }

    /** Runs the command line in this JVM (for usage errors, which return before anything starts). */
    private static int runInProcess(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return Main.execute(args);
        } finally {
            System.setErr(err);
        }
    }

    /** A line of the runtime about a bundle of the deploy folder. */
    private static java.util.function.Predicate<String> deployLine(String nameAndVersion, String file, String what) {
        Pattern p = Pattern.compile(Pattern.quote(PREFIX + "deploy: " + nameAndVersion) + ".* \\(bundle \\d+, "
                + Pattern.quote(file) + "\\) " + what);
        return l -> p.matcher(l).matches();
    }

    private static long bundleId(String line) {
        Matcher m = Pattern.compile("\\(bundle (\\d+), ").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    /** A UDP echo bundle ({@link EchoActivator}) built now. */
    private Path bundleJar(String symbolicName, String version, int port, String... moreImports) throws IOException {
        return bundleJar(
                symbolicName,
                version,
                EchoActivator.class,
                Map.of(EchoActivator.PORT_HEADER, String.valueOf(port)),
                concat("org.osgi.framework", moreImports));
    }

    /** An Rx service bundle ({@link RxEchoActivator}) built now. */
    private Path rxServiceJar(String symbolicName, String version, int serviceId, int port) throws IOException {
        return bundleJar(
                symbolicName,
                version,
                RxEchoActivator.class,
                Map.of(
                        RxEchoActivator.SERVICE_HEADER,
                        String.valueOf(serviceId),
                        RxEchoActivator.PORT_HEADER,
                        String.valueOf(port)),
                "org.osgi.framework",
                "org.rxrpc.api",
                "org.rxrpc.service");
    }

    /**
     * A bundle built now: the manifest (symbolic name, version, activator, headers) and the activator's
     * class file from the test classes; written beside its final place and moved in whole.
     */
    private Path bundleJar(
            String symbolicName, String version, Class<?> activator, Map<String, String> headers, String... imports)
            throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Activator", activator.getName());
        a.putValue("Import-Package", String.join(",", imports));
        headers.forEach(a::putValue);
        Path jar = Files.createTempFile(temp, symbolicName + "-", ".jar.part");
        String classFile = activator.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, m);
                InputStream in = activator.getClassLoader().getResourceAsStream(classFile)) {
            assertNotNull(in, classFile);
            out.putNextEntry(new JarEntry(classFile));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private static String[] concat(String first, String... more) {
        String[] all = new String[more.length + 1];
        all[0] = first;
        System.arraycopy(more, 0, all, 1, more.length);
        return all;
    }

    /** Moves a finished jar into place in one step (FileInstall never sees half a file). */
    private static void drop(Path jar, Path target) throws IOException {
        Files.move(jar, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Asks the bundle's UDP port until it answers {@code expected} (bounded); returns the last answer. */
    private static String awaitEcho(int port, String expected) throws IOException {
        long deadline = System.nanoTime() + ECHO_LIMIT.toNanos();
        String last = null;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(500);
            while (System.nanoTime() - deadline < 0) {
                byte[] ask = "which".getBytes(StandardCharsets.UTF_8);
                s.send(new DatagramPacket(ask, ask.length, new InetSocketAddress("127.0.0.1", port)));
                byte[] buf = new byte[256];
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(reply);
                } catch (SocketTimeoutException | java.net.PortUnreachableException e) {
                    continue;
                }
                last = new String(buf, 0, reply.getLength(), StandardCharsets.UTF_8);
                if (last.equals(expected)) return last;
            }
        }
        return last;
    }

    /** One Rx call: "ping", and the whole reply as text. */
    private static String rxCall(RxEndpoint client, int port, int serviceId, long timeoutMillis)
            throws InterruptedException {
        CallOptions options =
                CallOptions.DEFAULT.withHardTimeoutMillis(timeoutMillis).withBusyRetryMillis(timeoutMillis);
        try (RxCall call = client.newCall(new InetSocketAddress("127.0.0.1", port), serviceId, options, null)) {
            byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
            call.send(ping, 0, ping.length, true);
            return new String(call.receiveMessage(1024, timeoutMillis, TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        }
    }

    /** Calls until the reply comes from {@code expectedPrefix} (bounded); returns that reply. */
    private static String awaitRxReply(RxEndpoint client, int port, int serviceId, String expectedPrefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + ECHO_LIMIT.toNanos();
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                last = rxCall(client, port, serviceId, 5_000);
                if (last.startsWith(expectedPrefix + ":")) return last;
            } catch (RuntimeException e) {
                last = e.toString(); // not served yet, or the old version draining
            }
            Thread.sleep(100);
        }
        return last;
    }

    /** The port can be bound again (the bundle that served it closed its socket). */
    private static void assertPortFree(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return;
            } catch (IOException e) {
                assertTrue(System.nanoTime() - deadline < 0, "udp port " + port + " still taken: " + e);
                Thread.sleep(50);
            }
        }
    }

    private static int freeUdpPort(int... notThese) throws IOException {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int p = s.getLocalPort();
                if (IntStream.of(notThese).noneMatch(q -> q == p)) return p;
            }
        }
    }

    private static int[] freeUdpPorts(int n) throws IOException {
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) ports[i] = freeUdpPort(java.util.Arrays.copyOf(ports, i));
        return ports;
    }
}
