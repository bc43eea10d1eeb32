package org.rxrpc.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.when;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxTransport;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;

/**
 * Installs the rxrpc features into a real Apache Karaf (pax-exam's Karaf container) and calls the rxperf
 * and cache-manager services inside it. The configuration runs in the Maven JVM; the test methods run inside Karaf.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesIT {
    /** System property (inside Karaf) carrying the UDP port the test gave PID org.rxrpc.rxperf. */
    private static final String PORT_PROPERTY = "rxrpc.itest.rxperf.port";
    /** System property (inside Karaf) carrying the UDP port the test gave PID org.rxrpc.cm. */
    private static final String CM_PORT_PROPERTY = "rxrpc.itest.cm.port";
    /** System property (inside Karaf) carrying the UDP port the test gave PID org.rxrpc.vl.sample. */
    private static final String VL_PORT_PROPERTY = "rxrpc.itest.vl.port";
    /** VL, the volume location service, and its ProbeServer opcode (request: the opcode; reply empty). */
    private static final int VL_SERVICE = 52;

    private static final int VL_PROBE = 514;
    /** RXAFSCB, the cache-manager callback service, and its Probe opcode (request: the opcode; reply empty). */
    private static final int RXAFSCB_SERVICE = 1;

    private static final int RXAFSCB_PROBE = 206;

    private static final List<String> OUR_BUNDLES = List.of(
            "org.rxrpc.api",
            "org.rxrpc.transport",
            "org.rxrpc.service",
            "org.rxrpc.rxperf",
            "org.rxrpc.cm",
            "org.rxrpc.xdr",
            "org.rxrpc.vl.sample");

    @Inject
    private BundleContext context;

    /** Injection waits (pax-exam's default 10 s) until the transport component is active. */
    @Inject
    private RxTransport transport;

    @Inject
    private RxEndpoints endpoints;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws IOException {
        String karafVersion = required("rxrpc.karaf.version");
        String reactorRepo = new File(required("rxrpc.reactor.repo")).toURI().toString();
        int rxperfPort = freeUdpPort();
        int cmPort = freeUdpPort();
        while (cmPort == rxperfPort) cmPort = freeUdpPort();
        int vlPort = freeUdpPort();
        while (vlPort == rxperfPort || vlPort == cmPort) vlPort = freeUdpPort();
        Path unpack = Path.of(required("rxrpc.karaf.unpack"));
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf")
                                .type("tar.gz")
                                .version(karafVersion))
                        .karafVersion(karafVersion)
                        .name("Apache Karaf")
                        .unpackDirectory(unpack.toFile())
                        .useDeployFolder(false),
                when(Boolean.getBoolean("rxrpc.karaf.keep")).useOptions(keepRuntimeFolder()),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                // Bundles: this build's first (target/reactor-repo), then the Maven local repository,
                // then Karaf's remote repositories for what neither has (Karaf's scr add-ons, cold).
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.defaultRepositories",
                        reactorRepo + "@id=rxrpc.reactor@snapshots,"
                                + " ${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + " ${karaf.data.uri}kar@id=kar.repository@multi@snapshots"),
                editConfigurationFilePut(
                        "etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.localRepository",
                        required("rxrpc.local.repo")),
                // Loopback only, on free ports.
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1"),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freeTcpPort())),
                // The rxperf service's settings, as a user would give them.
                editConfigurationFilePut("etc/org.rxrpc.rxperf.cfg", "rxrpc.port", Integer.toString(rxperfPort)),
                systemProperty(PORT_PROPERTY).value(Integer.toString(rxperfPort)),
                // The cache-manager service's port: never 7001, which a real AFS client may hold.
                editConfigurationFilePut("etc/org.rxrpc.cm.cfg", "rxrpc.port", Integer.toString(cmPort)),
                systemProperty(CM_PORT_PROPERTY).value(Integer.toString(cmPort)),
                editConfigurationFilePut("etc/org.rxrpc.vl.sample.cfg", "rxrpc.port", Integer.toString(vlPort)),
                systemProperty(VL_PORT_PROPERTY).value(Integer.toString(vlPort)),
                features(
                        new File(required("rxrpc.features.file")).toURI().toString(),
                        "rxrpc-rxperf",
                        "rxrpc-cm",
                        "rxrpc-vl-sample"));
    }

    @Test
    public void everyBundleIsActiveAndEveryComponentToo() throws InterruptedException {
        // Test methods may start while Karaf still starts the last boot features: give it 20 s.
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> notActive = notActiveBundles();
        while (!notActive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            notActive = notActiveBundles();
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        for (String name : OUR_BUNDLES) {
            Bundle b = bundle(name);
            assertEquals(name + " active", Bundle.ACTIVE, b.getState());
        }
        // The transport: its component and the rx commands; rxperf: the handler and rx:rxperf.
        java.util.Map<String, Integer> components = java.util.Map.of(
                "org.rxrpc.transport",
                2,
                "org.rxrpc.service",
                1,
                "org.rxrpc.rxperf",
                2,
                "org.rxrpc.cm",
                1,
                "org.rxrpc.vl.sample",
                1);
        for (String name : components.keySet()) {
            Bundle b = bundle(name);
            List<ComponentDescriptionDTO> descriptions = new ArrayList<>(scr.getComponentDescriptionDTOs(b));
            assertEquals(name + " components", (int) components.get(name), descriptions.size());
            for (ComponentDescriptionDTO d : descriptions) {
                List<ComponentConfigurationDTO> configs = new ArrayList<>(scr.getComponentConfigurationDTOs(d));
                assertEquals(d.name + " configurations", 1, configs.size());
                int state = configs.get(0).state;
                // A delayed component (the commands) is SATISFIED until first used.
                assertTrue(
                        d.name + " state " + state + " (8 = ACTIVE), unsatisfied references: "
                                + List.of(configs.get(0).unsatisfiedReferences),
                        state == ComponentConfigurationDTO.ACTIVE
                                || (!d.immediate && state == ComponentConfigurationDTO.SATISFIED));
            }
        }
        assertEquals("127.0.0.1", endpoints.bindAddress());
    }

    /** The bundles log through slf4j into Karaf's pax-logging, not into a NOP logger. */
    @Test
    public void bundlesLogThroughPaxLogging() throws Exception {
        String dir = System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log");
        Path log = Path.of(dir, "karaf.log");
        String expected = "Rx service 147 (rxperf) listening on udp 127.0.0.1:" + port();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (text.contains(expected)) return;
            if (System.nanoTime() > deadline) fail("karaf.log has no line \"" + expected + "\"");
            Thread.sleep(50);
        }
    }

    /**
     * Section A of the OpenAFS captures (one small rxperf RPC: 4 bytes out, 4 back), replayed from a
     * plain UDP socket with a new epoch and connection id: the reply is one DATA packet with the 4 reply
     * bytes and the cookie. The client's final ACK (the capture's third datagram) ends the call.
     */
    @Test
    public void capturedOpenAfsRpcGetsItsReply() throws Exception {
        int epoch = 0x80000000 | ThreadLocalRandom.current().nextInt();
        int cid = ThreadLocalRandom.current().nextInt() & ~0xC0000003; // channel 0, like the capture
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(250);
            byte[] request = packet(epoch, cid, 1, 1, 0x05, "00000003000000030001000000010000000000040000000400000000");
            socket.send(new DatagramPacket(request, request.length, server));
            byte[] buf = new byte[2048];
            long deadline = System.nanoTime() + 10_000_000_000L;
            ByteBuffer reply = null;
            List<String> seen = new ArrayList<>();
            while (reply == null) {
                if (System.nanoTime() > deadline) fail("no reply DATA within 10 s; saw " + seen);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    socket.send(new DatagramPacket(request, request.length, server)); // as rx would resend
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                int type = b.get(20) & 0xff;
                seen.add("type " + type + " (" + p.getLength() + " bytes)");
                assertTrue("server answered with ABORT " + (p.getLength() >= 32 ? b.getInt(28) : -1), type != 4);
                if (type == 1 && b.getInt(0) == epoch && b.getInt(4) == cid && b.getInt(8) == 1) reply = b;
            }
            assertEquals("seq", 1, reply.getInt(12));
            assertEquals("flags: LAST_PACKET, not client-initiated", 0x04, reply.get(21) & 0x05);
            assertEquals("service", Rxperf.SERVICE_ID, reply.getShort(26) & 0xffff);
            byte[] data = new byte[reply.limit() - 28];
            reply.get(28, data);
            // 4 reply bytes (their values are the server's choice: OpenAFS sends zeros, ours its pattern)
            // and the cookie.
            assertEquals("reply of 4 bytes and the cookie: " + HexFormat.of().formatHex(data), 8, data.length);
            assertEquals("cookie", Rxperf.COOKIE, ByteBuffer.wrap(data).getInt(4));
            // The capture's final ACK: DELAY, firstPacket 2, previousPacket 1, trailer 5692/1444/32/4.
            byte[] ack = packet(
                    epoch,
                    cid,
                    1,
                    0,
                    0x21,
                    "0000" + "0000" + "00000002" + "00000001" + "00000000" + "08" + "00" + "000000" + "0000163c"
                            + "000005a4" + "00000020" + "00000004");
            ack[20] = 2; // ACK
            ack[19] = 2; // serial 2
            socket.send(new DatagramPacket(ack, ack.length, server));
        }
    }

    /** Our own client, on an endpoint from the RxTransport service inside Karaf, against the service. */
    @Test
    public void rxperfClientCallsThroughTheTransportService() throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port());
        try (RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            RxperfClient client = new RxperfClient(endpoint, server, CallOptions.DEFAULT.withHardTimeoutMillis(10_000));
            client.call(Rxperf.OP_RPC, 4, 4, true);
            client.call(Rxperf.OP_RPC, 10_000, 100_000, true); // both ways over several packets
            client.call(Rxperf.OP_SEND, 200_000, 0, true);
            client.call(Rxperf.OP_RECV, 0, 300_000, true);
        }
    }

    /** One real RXAFSCB call into the rxrpc-cm feature's service: Probe (opcode 206), its reply empty. */
    @Test
    public void cacheManagerServiceAnswersProbe() throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", cmPort());
        try (RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
                RxCall call = endpoint.newCall(
                        server, RXAFSCB_SERVICE, CallOptions.DEFAULT.withHardTimeoutMillis(10_000), null)) {
            call.send(ByteBuffer.allocate(4).putInt(RXAFSCB_PROBE).flip(), true);
            ByteBuffer reply = ByteBuffer.allocate(64);
            int total = 0;
            for (int n; (n = call.receive(reply, 15, TimeUnit.SECONDS)) >= 0; ) total += n;
            assertEquals("Probe's reply is empty", 0, total);
        }
    }

    /** One real VL call into the rxrpc-vl-sample feature's generated dispatcher: ProbeServer (514), reply empty. */
    @Test
    public void vlSampleServiceAnswersProbeServer() throws Exception {
        InetSocketAddress server =
                new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getProperty(VL_PORT_PROPERTY)));
        try (RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
                RxCall call =
                        endpoint.newCall(server, VL_SERVICE, CallOptions.DEFAULT.withHardTimeoutMillis(10_000), null)) {
            call.send(ByteBuffer.allocate(4).putInt(VL_PROBE).flip(), true);
            ByteBuffer reply = ByteBuffer.allocate(64);
            int total = 0;
            for (int n; (n = call.receive(reply, 15, TimeUnit.SECONDS)) >= 0; ) total += n;
            assertEquals("ProbeServer's reply is empty", 0, total);
        }
    }

    // ---- the operator's side ----

    /** The rx commands (plain Gogo commands) run in Karaf's own shell, and its help lists them. */
    @Test
    public void rxCommandsRunInKarafsShell() throws Exception {
        int port = port();
        String services = karaf("rx:services");
        assertTrue(services, services.matches("(?s).*\\n147 +rxperf +LISTENING +127\\.0\\.0\\.1:" + port + " .*"));
        assertTrue(
                services,
                services.matches(
                        "(?s).*\\n1 +cache manager \\(RXAFSCB\\) +LISTENING +127\\.0\\.0\\.1:" + cmPort() + " .*"));
        String ping = karaf("rx:ping -c 2 127.0.0.1:" + port);
        assertTrue(ping, ping.contains("--- VERSION replies: 2 of 2"));
        assertTrue(ping, ping.contains("--- PING responses: 2 of 2"));
        String load = karaf("rx:rxperf --server 127.0.0.1:" + port + " --duration 1 --warmup 0.2 --concurrency 2");
        assertTrue(load, load.matches("(?s).*RESULT calls=\\d+ ok=\\d+ failed=0 .*"));
        String stats = karaf("rx:stats " + port);
        assertTrue(stats, stats.matches("(?s).*incoming calls made live +\\d+.*"));
        String peers = karaf("rx:peers " + port);
        assertTrue(peers, peers.startsWith("ENDPOINT"));
        assertTrue(karaf("rx:endpoints"), karaf("rx:endpoints").contains("127.0.0.1:" + port + "  "));
        String help = karaf("help");
        assertTrue("help lists the rx commands", help.contains("rx:services") && help.contains("rx:rxperf"));
    }

    /** Karaf's JMX (its MBeanServer service) shows an MBean per endpoint and per service. */
    @Test
    public void mbeansAreInKarafsMBeanServer() throws Exception {
        org.osgi.framework.ServiceReference<javax.management.MBeanServer> ref =
                context.getServiceReference(javax.management.MBeanServer.class);
        javax.management.MBeanServer server =
                ref != null ? context.getService(ref) : java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName endpoint =
                new javax.management.ObjectName("org.rxrpc:type=Endpoint,port=" + port());
        javax.management.ObjectName rxperf =
                new javax.management.ObjectName("org.rxrpc:type=Service,port=" + port() + ",id=147");
        javax.management.ObjectName cm =
                new javax.management.ObjectName("org.rxrpc:type=Service,port=" + cmPort() + ",id=1");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(server.isRegistered(endpoint) && server.isRegistered(rxperf) && server.isRegistered(cm))) {
            if (System.nanoTime() > deadline)
                fail("rxrpc MBeans: " + server.queryNames(new javax.management.ObjectName("org.rxrpc:*"), null));
            Thread.sleep(50);
        }
        assertEquals("127.0.0.1:" + port(), server.getAttribute(endpoint, "LocalAddress"));
        assertEquals("LISTENING", server.getAttribute(rxperf, "State"));
        assertEquals(32, server.getAttribute(rxperf, "Backlog"));
        assertEquals("cache manager (RXAFSCB)", server.getAttribute(cm, "Name"));
    }

    /** {@code log:set DEBUG org.rxrpc.transport.calls} in Karaf's shell shows a line per call in karaf.log. */
    @Test
    public void debugLoggingShowsEachCall() throws Exception {
        karaf("log:set DEBUG org.rxrpc.transport.calls");
        try (RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            int clientPort = endpoint.localAddress().getPort();
            RxperfClient client =
                    new RxperfClient(endpoint, new InetSocketAddress("127.0.0.1", port()), CallOptions.DEFAULT);
            long deadline = System.nanoTime() + 10_000_000_000L;
            String live = " live: service 147 from /127.0.0.1:" + clientPort;
            while (!karafLog().contains(live) && System.nanoTime() < deadline) {
                client.call(Rxperf.OP_RPC, 10, 10, true); // until pax-logging has taken the new level
                Thread.sleep(100);
            }
            awaitLogLine(live);
            awaitLogLine(" SUCCEEDED: service 147 from /127.0.0.1:" + clientPort);
        } finally {
            karaf("log:set INFO org.rxrpc.transport.calls");
        }
    }

    /**
     * A bad value given with Karaf's own {@code config:edit}, {@code config:property-set} and
     * {@code config:update} is refused with one line naming the PID, the key, the value and the range; the
     * running configuration goes on (the same backlog, no restart) and the service serves on its port.
     */
    @Test
    public void aBadConfigUpdateIsRefusedWithOneLineAndTheRunningConfigurationIsKept() throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName rxperf =
                new javax.management.ObjectName("org.rxrpc:type=Service,port=" + port() + ",id=147");
        String listening = "Rx service 147 (rxperf) listening on udp 127.0.0.1:" + port();
        long listensBefore = countLogLines(listening);
        try {
            karaf("config:edit org.rxrpc.rxperf", "config:property-set rxrpc.backlog 0", "config:update");
            awaitLogLine("org.rxrpc.rxperf: configuration refused, the running one is kept:"
                    + " rxrpc.backlog = 0 is outside 1..32");
            karaf("config:edit org.rxrpc.transport", "config:property-set sendWindow 300", "config:update");
            awaitLogLine("org.rxrpc.transport: configuration refused, the running one is kept:"
                    + " sendWindow must be 1..255, not 300");
            assertEquals(32, server.getAttribute(rxperf, "Backlog"));
            assertEquals("LISTENING", server.getAttribute(rxperf, "State"));
            try (RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
                new RxperfClient(
                                endpoint,
                                new InetSocketAddress("127.0.0.1", port()),
                                CallOptions.DEFAULT.withHardTimeoutMillis(10_000))
                        .call(Rxperf.OP_RPC, 10, 10, true);
            }
            assertEquals("no restart of the service", listensBefore, countLogLines(listening));
        } finally {
            karaf("config:edit org.rxrpc.rxperf", "config:property-set rxrpc.backlog 32", "config:update");
            karaf("config:edit org.rxrpc.transport", "config:property-set sendWindow 255", "config:update");
        }
    }

    private static long countLogLines(String part) throws IOException {
        return karafLog().lines().filter(l -> l.contains(part)).count();
    }

    /**
     * {@code config:update} moves the cache manager onto a port another socket holds: WARN with the reason,
     * the service FAILED; it listens by itself once the port frees, with no bundle restart.
     */
    @Test
    public void aServiceWhosePortIsTakenIsWarnedAboutAndListensOnceItFrees() throws Exception {
        DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = taken.getLocalPort();
        Bundle cm = bundle("org.rxrpc.cm");
        long cmStarted = cm.getLastModified();
        try {
            karaf("config:edit org.rxrpc.cm", "config:property-set rxrpc.port " + port, "config:update");
            String warned = awaitLogLine(
                    "Rx service 1 (cache manager (RXAFSCB)) not listening on port " + port + ": cannot bind");
            assertTrue(warned, warned.contains("WARN"));
            awaitState(RXAFSCB_SERVICE, port, org.rxrpc.api.ServiceStatus.State.FAILED);
            taken.close();
            awaitState(RXAFSCB_SERVICE, port, org.rxrpc.api.ServiceStatus.State.LISTENING);
            assertEquals(Bundle.ACTIVE, cm.getState());
            assertEquals("the bundle was not restarted", cmStarted, cm.getLastModified());
        } finally {
            taken.close();
            karaf("config:edit org.rxrpc.cm", "config:property-set rxrpc.port " + cmPort(), "config:update");
            awaitState(RXAFSCB_SERVICE, cmPort(), org.rxrpc.api.ServiceStatus.State.LISTENING);
        }
    }

    private void awaitState(int serviceId, int port, org.rxrpc.api.ServiceStatus.State state)
            throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (true) {
            for (org.rxrpc.api.ServiceStatus s : endpoints.services()) {
                if (s.serviceId() == serviceId && s.port() == port && s.state() == state) return;
            }
            if (System.nanoTime() > deadline)
                fail("service " + serviceId + " not " + state + ": " + endpoints.services());
            Thread.sleep(50);
        }
    }

    private static String karafLog() throws IOException {
        String dir = System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log");
        return Files.readString(Path.of(dir, "karaf.log"), StandardCharsets.UTF_8);
    }

    /** Waits for a line of karaf.log holding {@code part}; returns it. */
    private static String awaitLogLine(String part) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            String line =
                    karafLog().lines().filter(l -> l.contains(part)).findFirst().orElse(null);
            if (line != null) return line;
            if (System.nanoTime() > deadline) fail("karaf.log has no line with \"" + part + "\"");
            Thread.sleep(50);
        }
    }

    /**
     * Runs command lines in one session of Karaf's own shell (its SessionFactory, called through the shell
     * bundle's classes), with the roles of Karaf's default admin user (admingroup: config:* needs manager);
     * returns what they printed and the last one returned.
     */
    private String karaf(String... commands) throws Exception {
        org.osgi.framework.ServiceReference<?> ref =
                context.getServiceReference("org.apache.karaf.shell.api.console.SessionFactory");
        assertNotNull("Karaf's SessionFactory", ref);
        Object factory = context.getService(ref);
        Bundle shell = ref.getBundle();
        Class<?> factoryType = shell.loadClass("org.apache.karaf.shell.api.console.SessionFactory");
        Class<?> sessionType = shell.loadClass("org.apache.karaf.shell.api.console.Session");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
        Object session = factoryType
                .getMethod("create", java.io.InputStream.class, java.io.PrintStream.class, java.io.PrintStream.class)
                .invoke(factory, new java.io.ByteArrayInputStream(new byte[0]), out, out);
        javax.security.auth.Subject admin = new javax.security.auth.Subject();
        Class<?> role = context.getBundle(0).loadClass("org.apache.karaf.jaas.boot.principal.RolePrincipal");
        for (String name : List.of("admin", "manager", "viewer", "systembundles")) {
            admin.getPrincipals().add((java.security.Principal)
                    role.getConstructor(String.class).newInstance(name));
        }
        try {
            Object last = null;
            for (String c : commands) {
                java.lang.reflect.Method execute = sessionType.getMethod("execute", CharSequence.class);
                last = javax.security.auth.Subject.doAs(
                        admin, (java.security.PrivilegedExceptionAction<Object>) () -> execute.invoke(session, c));
            }
            return bytes.toString(StandardCharsets.UTF_8) + (last == null ? "" : last.toString());
        } finally {
            sessionType.getMethod("close").invoke(session);
            context.ungetService(ref);
        }
    }

    // ---- helpers ----

    private List<String> notActiveBundles() {
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) notActive.add(b.getSymbolicName() + " state " + b.getState());
        }
        return notActive;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) return b;
        }
        throw new AssertionError("no bundle " + symbolicName + " installed");
    }

    private static int port() {
        String p = System.getProperty(PORT_PROPERTY);
        assertNotNull(PORT_PROPERTY + " not set inside Karaf", p);
        return Integer.parseInt(p);
    }

    private static int cmPort() {
        String p = System.getProperty(CM_PORT_PROPERTY);
        assertNotNull(CM_PORT_PROPERTY + " not set inside Karaf", p);
        return Integer.parseInt(p);
    }

    /** A 28-byte Rx header (call, seq, flags; serial 1, service 147) followed by the hex data. */
    private static byte[] packet(int epoch, int cid, int call, int seq, int flags, String hexData) {
        byte[] data = HexFormat.of().parseHex(hexData);
        ByteBuffer b = ByteBuffer.allocate(28 + data.length);
        b.putInt(epoch).putInt(cid).putInt(call).putInt(seq).putInt(1);
        b.put((byte) 1).put((byte) flags).put((byte) 0).put((byte) 0);
        b.putShort((short) 0).putShort((short) Rxperf.SERVICE_ID);
        b.put(data);
        return b.array();
    }

    private static String required(String name) {
        String v = System.getProperty(name);
        if (v == null) throw new IllegalStateException("system property " + name + " not set (run through Maven)");
        return v;
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
