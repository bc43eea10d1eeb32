package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine;

/**
 * The OSGi runtime as a user runs it: {@code Main run ...} in a child JVM (the test's classpath, the
 * bundle folder the build filled: target/bundles), real rxperf calls to it, then SIGTERM.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FelixRuntimeTest {
    private static final int RXAFSCB_SERVICE = 1;
    private static final int RXAFSCB_PROBE = 206;
    /** A line slf4j-simple printed for a bundle's logger: proof that logging inside Felix really prints. */
    private static final Pattern SLF4J_LINE = Pattern.compile(
            "^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]+\\] INFO org\\.rxrpc\\.transport\\.osgi\\.TransportComponent"
                    + " - rxrpc transport active, binding endpoints to 127\\.0\\.0\\.1$");

    @TempDir
    Path temp;

    @Test
    void servesRxperfOnTheCommandLinePortLogsThroughSlf4jAndStopsCleanlyOnSigterm() throws Exception {
        int port = freeUdpPort();
        int cmPort = freeUdpPort(port);
        int vlPort = freeUdpPort(port, cmPort);
        // The committed runtime/etc (every line a comment) and target/bundles: the defaults, but for the
        // ports (7009, 7001 and 7003 may be taken on this machine).
        try (RuntimeProcess runtime = RuntimeProcess.start(
                "run",
                "--rxperf-port",
                String.valueOf(port),
                "--cm-port",
                String.valueOf(cmPort),
                "--vl-port",
                String.valueOf(vlPort))) {
            String listening = "rxrpc runtime: service 147 (rxperf) listening on udp 127.0.0.1:" + port;
            runtime.await(listening::equals);
            runtime.await(cmListening(cmPort)::equals);
            runtime.await(("rxrpc runtime: service 52 (volume location (VL sample)) listening on udp 127.0.0.1:"
                    + vlPort)::equals);
            runtime.await(l -> l.startsWith("rxrpc runtime: started in ") && l.contains(": 3 Rx services listening"));
            assertTrue(
                    runtime.has(l -> l.startsWith("rxrpc runtime: Apache Felix 7.0.5, 18 bundles from ")
                            && l.endsWith(Path.of("etc").toAbsolutePath() + "/*.cfg")),
                    runtime.output());

            rxperfCalls(port, 3);
            probe(cmPort);
            cmdebugCache(cmPort);

            assertTrue(runtime.has(SLF4J_LINE.asPredicate()), "no slf4j-simple line:\n" + runtime.output());
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
            assertTrue(runtime.has(
                    ("rxrpc runtime: service 147 (rxperf) stopped listening on udp 127.0.0.1:" + port)::equals));
            assertTrue(runtime.has(cmListening(cmPort).replace(" listening on ", " stopped listening on ")::equals));
            // The components deactivated: the endpoint closed, and the transport stopped.
            assertTrue(runtime.has(l -> l.endsWith("Rx endpoint on /127.0.0.1:" + port + " closed")), runtime.output());
            assertTrue(runtime.has(l -> l.contains("rxrpc transport stopped")), runtime.output());
            assertTrue(
                    runtime.has(l -> l.startsWith("rxrpc runtime: framework stopped cleanly in ")), runtime.output());
            assertFalse(runtime.has(l -> l.contains("ERROR") || l.contains("WARNING")), runtime.output());
        }
        // The endpoint was closed: the port is free again.
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertEquals(port, s.getLocalPort());
        }
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", cmPort))) {
            assertEquals(cmPort, s.getLocalPort());
        }
    }

    @Test
    void takesTheRxperfPortAndTransportSettingsFromCfgFilesInTheSettingsFolder() throws Exception {
        int port = freeUdpPort();
        Path etc = Files.createDirectories(temp.resolve("etc"));
        Files.writeString(
                etc.resolve("org.rxrpc.rxperf.cfg"), "# from the test\nrxrpc.port = " + port + "\nrxrpc.backlog = 4\n");
        Files.writeString(etc.resolve("org.rxrpc.transport.cfg"), "bindAddress = 127.0.0.1\n");
        int cmPort = freeUdpPort(port);
        Files.writeString(etc.resolve("org.rxrpc.cm.cfg"), "rxrpc.port = " + cmPort + "\n");
        Files.writeString(etc.resolve("org.rxrpc.vl.sample.cfg"), "rxrpc.port = " + freeUdpPort(port, cmPort) + "\n");
        try (RuntimeProcess runtime = RuntimeProcess.start("run", "--etc", etc.toString())) {
            runtime.await(("rxrpc runtime: service 147 (rxperf) listening on udp 127.0.0.1:" + port)::equals);
            runtime.await(cmListening(cmPort)::equals);
            probe(cmPort);
            assertTrue(
                    runtime.has(l ->
                            l.endsWith("Rx service 147 (rxperf) listening on udp 127.0.0.1:" + port + " (backlog 4)")),
                    runtime.output());
            rxperfCalls(port, 2);
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
            assertTrue(
                    runtime.has(l -> l.startsWith("rxrpc runtime: framework stopped cleanly in ")), runtime.output());
        }
        // FileInstall read the files and did not write into them.
        assertEquals(
                "# from the test\nrxrpc.port = " + port + "\nrxrpc.backlog = 4\n",
                Files.readString(etc.resolve("org.rxrpc.rxperf.cfg")));
    }

    @Test
    void commandLineOverridesWinOverTheCfgFiles() throws Exception {
        int filePort = freeUdpPort();
        int port = freeUdpPort(filePort);
        int cmFilePort = freeUdpPort(filePort, port);
        int cmPort = freeUdpPort(filePort, port, cmFilePort);
        Path etc = Files.createDirectories(temp.resolve("etc"));
        Files.writeString(etc.resolve("org.rxrpc.rxperf.cfg"), "rxrpc.port = " + filePort + "\n");
        Files.writeString(etc.resolve("org.rxrpc.cm.cfg"), "rxrpc.port = " + cmFilePort + "\n");
        Files.writeString(etc.resolve("org.rxrpc.transport.cfg"), "bindAddress = ::1\n");
        try (RuntimeProcess runtime = RuntimeProcess.start(
                "--etc",
                etc.toString(),
                "--bind",
                "127.0.0.1",
                "--rxperf-port",
                String.valueOf(port),
                "--cm-port",
                String.valueOf(cmPort),
                "--vl-port",
                String.valueOf(
                        freeUdpPort(filePort, port, cmFilePort, cmPort)))) { // options only: "run" is the default
            runtime.await(("rxrpc runtime: service 147 (rxperf) listening on udp 127.0.0.1:" + port)::equals);
            runtime.await(cmListening(cmPort)::equals);
            runtime.await(l -> l.startsWith("rxrpc runtime: started in "));
            assertTrue(runtime.has(
                    ("rxrpc runtime: setting org.rxrpc.rxperf rxrpc.port=" + port + " (command line)")::equals));
            assertTrue(runtime.has(
                    ("rxrpc runtime: setting org.rxrpc.cm rxrpc.port=" + cmPort + " (command line)")::equals));
            assertFalse(runtime.has(l -> l.contains(":" + filePort)), runtime.output());
            assertFalse(runtime.has(l -> l.contains(":" + cmFilePort)), runtime.output());
            probe(cmPort);
            // The transport activated once, with the command line's address, not the file's.
            assertEquals(1, runtime.count(l -> l.contains("rxrpc transport active")), runtime.output());
            rxperfCalls(port, 1);
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
        }
    }

    @Test
    void commandLineSettingsGoToTheirPids() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--bind", "::1", "--rxperf-port", "7010", "--cm-port", "7002");
        assertEquals(
                Map.of(
                        "org.rxrpc.transport", Map.of("bindAddress", "::1"),
                        "org.rxrpc.rxperf", Map.of("rxrpc.port", 7010),
                        "org.rxrpc.cm", Map.of("rxrpc.port", 7002)),
                run.overrides());
        assertEquals(Map.of(), newRun().overrides());
        StringWriter help = new StringWriter();
        new CommandLine(new RunCommand()).usage(new java.io.PrintWriter(help));
        String text = help.toString().replaceAll("\\s+", " ");
        assertTrue(text.contains("cache-manager callback service, RXAFSCB (service 1)"), help.toString());
        assertFalse(text.contains("no bundle reads it"), help.toString());
    }

    private static RunCommand newRun() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs();
        return run;
    }

    /** Real rxperf RPCs (1000 bytes out, 2000 back, both checked) from a client endpoint of our transport. */
    private static void rxperfCalls(int port, int calls) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RxEndpoint client =
                    new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
                RxperfClient rxperf = new RxperfClient(
                        client, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CallOptions.DEFAULT);
                for (int i = 0; i < calls; i++) rxperf.call(Rxperf.OP_RPC, 1000, 2000, true);
            }
        });
    }

    private static int freeUdpPort(int... notThese) throws IOException {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int p = s.getLocalPort();
                if (IntStream.of(notThese).noneMatch(q -> q == p)) return p;
            }
        }
    }

    private static String cmListening(int cmPort) {
        return "rxrpc runtime: service 1 (cache manager (RXAFSCB)) listening on udp 127.0.0.1:" + cmPort;
    }

    /**
     * A real RXAFSCB call into the cache-manager bundle: Probe (opcode 206), the request only the opcode
     * (4 bytes, big-endian), the reply empty.
     */
    private static void probe(int cmPort) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RxEndpoint client = new RxTransportImpl()
                            .open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
                    RxCall call = client.newCall(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), cmPort),
                            RXAFSCB_SERVICE,
                            CallOptions.DEFAULT.withHardTimeoutMillis(20_000),
                            null)) {
                call.send(ByteBuffer.allocate(4).putInt(RXAFSCB_PROBE).flip(), true);
                ByteBuffer reply = ByteBuffer.allocate(64);
                int total = 0;
                for (int n; (n = call.receive(reply, 30, TimeUnit.SECONDS)) >= 0; ) total += n;
                assertEquals(0, total, "Probe's reply is empty");
            }
        });
    }

    /** OpenAFS's cmdebug against the bundle, if installed (required under CI=true). */
    private static void cmdebugCache(int cmPort) throws Exception {
        Path cmdebug = Stream.of("/usr/bin/cmdebug", "/usr/sbin/cmdebug")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (cmdebug == null) {
            assertFalse("true".equalsIgnoreCase(System.getenv("CI")), "cmdebug is not installed (openafs-client)");
            return; // not installed: that part is skipped
        }
        Process p = new ProcessBuilder(cmdebug.toString(), "127.0.0.1", "-port", String.valueOf(cmPort), "-cache")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "cmdebug did not finish in 60 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        // No CacheManager service in the runtime: the bundle answers the zero configuration.
        assertTrue(out.contains("Chunk files:   0"), out);
    }
}
