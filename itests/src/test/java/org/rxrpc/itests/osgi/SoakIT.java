package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;

/**
 * Item 7, the soak: mixed load on the rxperf bundle in Felix through a lossy relay (a process of its own:
 * 5% loss, 5% duplication, 5% reordering each way) while the bundle is stopped and started again and
 * again: small calls, 1 MiB both ways, a new connection per call, calls aborted mid-reply, and client
 * JVMs killed mid-call. Every call that completes is byte-exact (rxperf's pattern, checked by both sides);
 * every other ends with an explicit abort code. Threads, file descriptors and retained heap are printed
 * every minute, and once the load stops and the idle connections are reaped they are back where they
 * were before it, as are the packet buffers of the server's endpoint.
 *
 * <p>Two minutes by default ({@code mvn verify}); the long run is {@code -Drxrpc.soak.minutes=30} (README
 * "Hostile input and floods"). Restarts: 1,000 per 30 minutes unless {@code -Drxrpc.soak.restarts=N}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT extends RxOsgiTestSupport {
    private static final int MINUTES = Integer.getInteger("rxrpc.soak.minutes", 2);
    private static final int RESTARTS = Integer.getInteger("rxrpc.soak.restarts", Math.max(20, 1000 * MINUTES / 30));
    private static final double LOSS = 0.05;
    private static final double DUPLICATION = 0.05;
    private static final double REORDERING = 0.05;
    private static final int MIB = 1 << 20;
    /** The code our own mid-call aborts use. */
    private static final int OUR_ABORT = 7777;

    private static final long CONNECTION_IDLE_MILLIS = 2_000;
    /** Calls in progress at a stop may finish within this; new ones meet BUSY for as long (and retry). */
    private static final long DRAIN_MILLIS = 1_000;

    private static final long DEAD_MILLIS = 5_000;
    private static final long HEAP_SLACK = 24L << 20;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Map<String, AtomicLong> completed = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> aborted = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicLong slowestRestartMillis = new AtomicLong();
    private final AtomicLong killedClients = new AtomicLong();

    private record Sample(int threads, int fds, int sockets, long heap, int freeBuffers) {
        static Sample take(int freeBuffers) {
            int handlers = threadCount(prefixed(RXPERF_HANDLER_PREFIX));
            return new Sample(
                    Thread.getAllStackTraces().size() - handlers,
                    openFileDescriptors(),
                    openSockets(),
                    retainedHeap(),
                    freeBuffers);
        }

        @Override
        public String toString() {
            return "threads " + threads + " (rxperf handlers not counted), fds " + fds + " (sockets " + sockets
                    + "), retained heap " + (heap >> 20) + " MiB, server's free packet buffers " + freeBuffers;
        }
    }

    @Test(timeout = 3_600_000)
    public void mixedLoadThroughALossyRelayWithRestartsCompletesByteExactOrAbortsAndLeaksNothing() throws Exception {
        configure(
                TRANSPORT_PID,
                Map.of(
                        "connectionIdleMillis", CONNECTION_IDLE_MILLIS,
                        "serviceDrainMillis", DRAIN_MILLIS,
                        "deadTimeMillis", DEAD_MILLIS));
        await("RxEndpoints re-registered with the soak's settings", 10_000, () -> {
            ServiceReference<RxEndpoints> ref = context.getServiceReference(RxEndpoints.class);
            return ref != null
                    && String.valueOf(DRAIN_MILLIS).equals(String.valueOf(ref.getProperty("serviceDrainMillis")));
        });
        int port = freeUdpPort();
        startRxperf(port, 8, 32, true);
        Bundle rxperf = bundle(RXPERF_BSN);
        long seed = Long.getLong("rxrpc.soak.seed", System.nanoTime());
        Process relay = startRelay(port, seed);
        List<Thread> threads = new ArrayList<>();
        try (RxEndpoint client = openClient()) {
            InetSocketAddress via = new InetSocketAddress(LOOPBACK, relayPort(relay));
            System.out.printf(
                    "soak: %d min, %d restarts, relay %s (loss %.0f%%, duplication %.0f%%, reordering %.0f%%,"
                            + " seed %d)%n",
                    MINUTES, RESTARTS, via, LOSS * 100, DUPLICATION * 100, REORDERING * 100, seed);
            // Warm up every path once, then the baseline, taken as the end is: quiet and reaped.
            rpc(client, port, 100, 100, CallOptions.DEFAULT);
            new RxperfClient(client, via, CallOptions.DEFAULT.withHardTimeoutMillis(60_000))
                    .call(Rxperf.OP_RPC, MIB, MIB, true);
            Sample baseline = quiet(port, false);
            System.out.println("soak baseline: " + baseline);

            CallOptions shared =
                    CallOptions.DEFAULT.withHardTimeoutMillis(60_000).withBusyRetryMillis(10_000);
            threads.add(worker("small", () -> rpcVia(client, via, 100, 100, shared)));
            threads.add(worker("small", () -> rpcVia(client, via, 1000, 4, shared)));
            threads.add(worker("1 MiB both ways", () -> rpcVia(client, via, MIB, MIB, shared)));
            threads.add(
                    worker("new connection", () -> rpcVia(client, via, 1000, 1000, shared.withNewConnection(true))));
            threads.add(worker("aborted mid-reply", () -> abortMidReply(client, via)));
            threads.add(new Thread(() -> killClients(via), "soak-killer"));
            threads.add(new Thread(() -> restart(rxperf), "soak-restarter"));
            for (Thread t : threads) t.start();

            long t0 = System.nanoTime();
            for (int minute = 1; minute <= MINUTES; minute++) {
                sleep(TimeUnit.MINUTES.toMillis(1) - (System.nanoTime() - t0) / 1_000_000 % 60_000);
                System.out.println(
                        "soak minute " + minute + ": " + Sample.take(freeBuffersNow(port)) + "; " + progress());
                if (!failures.isEmpty()) break;
            }
            stop.set(true);
            for (Thread t : threads) t.join(90_000);
            for (Thread t : threads) assertTrue(t.getName() + " ended", !t.isAlive());
            if (rxperf.getState() != Bundle.ACTIVE) rxperf.start();
            awaitServing(port, 15_000);
            Sample end = quiet(port, true);
            long liveCalls = serverStats(port).get(Counter.CALLS_MADE_LIVE);
            RxStats server = serverStats(port);
            String report = "soak end: " + end + "\n  baseline: " + baseline + "\n  " + progress()
                    + "\n  server's aborts sent " + new TreeMap<>(server.abortsSent()) + "\n  server endpoint " + server
                    + "\n  relay: " + stopRelay(relay);
            relay = null;
            System.out.println(report);

            assertTrue("failures: " + failures + "\n" + report, failures.isEmpty());
            assertTrue("1 MiB calls completed: " + report, count(completed, "1 MiB both ways") > 0);
            assertTrue("small calls completed: " + report, count(completed, "small") > 10 * MINUTES);
            assertTrue(
                    "calls aborted mid-reply: " + report,
                    count(aborted, "aborted mid-reply " + codeName(OUR_ABORT)) > 0);
            assertTrue("clients killed: " + report, killedClients.get() >= MINUTES);
            assertEquals("restarts: " + report, RESTARTS, restarts.get());
            assertTrue("calls made live: " + report, liveCalls > 0);
            assertEquals("the server's packet buffers: " + report, baseline.freeBuffers, end.freeBuffers);
            assertTrue("threads: " + report, end.threads <= baseline.threads + 2);
            assertTrue("sockets: " + report, end.sockets <= baseline.sockets);
            assertTrue("file descriptors: " + report, end.fds <= baseline.fds + 4);
            assertTrue("retained heap: " + report, end.heap - baseline.heap < HEAP_SLACK);
        } finally {
            stop.set(true);
            for (Thread t : threads) t.join(90_000);
            if (relay != null) stopRelay(relay);
            if (rxperf.getState() != Bundle.ACTIVE) rxperf.start();
        }
    }

    // ---- the load ----

    private interface Call {
        /** Runs one call; returns normally if it completed byte-exact. */
        void run() throws Exception;
    }

    /** A load thread: calls until the end; counts what completed, and each abort by its code. */
    private Thread worker(String kind, Call call) {
        return new Thread(
                () -> {
                    while (!stop.get() && failures.isEmpty()) {
                        try {
                            call.run();
                            completed
                                    .computeIfAbsent(kind, k -> new AtomicLong())
                                    .incrementAndGet();
                        } catch (RxCallAbortedException e) {
                            if (e.abortCode() == 0) failures.add(kind + ": ended without an abort code: " + e);
                            // rxperf's server found a request byte wrong: not byte-exact
                            if (e.abortCode() == Rxperf.ABORT_BAD_PAYLOAD) failures.add(kind + ": " + e);
                            aborted.computeIfAbsent(kind + " " + codeName(e.abortCode()), k -> new AtomicLong())
                                    .incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        } catch (Throwable t) {
                            failures.add(kind + ": " + t); // a wrong byte (BadReplyException) or anything else
                        }
                    }
                },
                "soak-" + kind);
    }

    private static void rpcVia(RxEndpoint client, InetSocketAddress via, long request, long reply, CallOptions o)
            throws InterruptedException {
        new RxperfClient(client, via, o).call(Rxperf.OP_RPC, request, reply, true);
    }

    /** An rxperf call for a 1 MiB reply, aborted with our code after a random part of the reply. */
    private static void abortMidReply(RxEndpoint client, InetSocketAddress via) throws InterruptedException {
        CallOptions o = CallOptions.DEFAULT.withHardTimeoutMillis(60_000).withBusyRetryMillis(10_000);
        try (RxCall call = client.newCall(via, Rxperf.SERVICE_ID, o, null)) {
            ByteBuffer header = ByteBuffer.allocate(24);
            header.putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_RPC)
                    .putInt(65536)
                    .putInt(65536)
                    .putInt(0)
                    .putInt(MIB);
            call.send(header.flip(), true);
            int wanted = ThreadLocalRandom.current().nextInt(MIB / 2);
            ByteBuffer buf = ByteBuffer.allocate(65536);
            long offset = 0;
            while (offset <= wanted) {
                buf.clear();
                int n = call.receive(buf, 60, TimeUnit.SECONDS);
                if (n < 0) break;
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) != Rxperf.patternByte(offset + i)) {
                        throw new AssertionError("reply byte " + (offset + i) + " is " + buf.get(i));
                    }
                }
                offset += n;
            }
            call.abort(OUR_ABORT);
            call.awaitCompletion(60, TimeUnit.SECONDS);
            if (call.state() != CallState.SUCCEEDED) throw new RxCallAbortedException(call.state(), call.abortCode());
        }
    }

    /** Starts client JVMs that make calls through the relay and kills each (SIGKILL) mid-call. */
    private void killClients(InetSocketAddress via) {
        Random r = new Random();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        File log = new File("target", "soak-clients.log");
        while (!stop.get() && failures.isEmpty()) {
            try {
                Process p = new ProcessBuilder(
                                java,
                                "-Xmx128m",
                                "-cp",
                                clientClassPath(),
                                "org.rxrpc.itests.soak.SoakClientProcess",
                                String.valueOf(via.getPort()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                sleep(1_500 + r.nextInt(3_000)); // JVM start, then calls in flight
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                killedClients.incrementAndGet();
                sleep(500 + r.nextInt(2_000));
            } catch (Exception e) {
                failures.add("killed client: " + e);
                return;
            }
        }
    }

    /** The rxperf bundle stopped and started {@link #RESTARTS} times, evenly over the run. */
    private void restart(Bundle rxperf) {
        long interval = TimeUnit.MINUTES.toMillis(MINUTES) * 9 / 10 / RESTARTS;
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < RESTARTS && !stop.get() && failures.isEmpty(); i++) {
                long due = t0 + TimeUnit.MILLISECONDS.toNanos(interval * i);
                long wait = (due - System.nanoTime()) / 1_000_000;
                if (wait > 0) sleep(wait);
                long r0 = System.nanoTime();
                rxperf.stop();
                rxperf.start();
                slowestRestartMillis.accumulateAndGet((System.nanoTime() - r0) / 1_000_000, Math::max);
                restarts.incrementAndGet();
            }
        } catch (Exception e) {
            failures.add("restart " + restarts.get() + ": " + e);
        }
    }

    // ---- measuring ----

    /** A sample once the calls are over and the transport reaped the idle connections. */
    private Sample quiet(int port, boolean afterKilledClients) {
        // Reaping runs once a second, dedicated connections linger 2 s; killed clients' calls end dead.
        sleep(CONNECTION_IDLE_MILLIS + 2_000 + (afterKilledClients ? DEAD_MILLIS : 0));
        await("rxperf handler threads idle", 10_000, () -> threadCount(prefixed(RXPERF_BSN)) <= 1 + 32);
        return Sample.take(freeBuffers(port));
    }

    /**
     * The server endpoint's free packet buffers (what rxdebug shows as free packets; no API counter has
     * it): its pool, read by reflection from the transport's endpoint object.
     */
    private int freeBuffers(int port) {
        try {
            Object endpoint = endpoints().endpoint(port);
            java.lang.reflect.Field f = endpoint.getClass().getDeclaredField("pool");
            f.setAccessible(true);
            Object pool = f.get(endpoint);
            java.lang.reflect.Method available = pool.getClass().getDeclaredMethod("available");
            available.setAccessible(true);
            return (int) available.invoke(pool);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the endpoint's packet pool: " + e, e);
        }
    }

    /** The pool during the run, or -1 while a restart has the endpoint away. */
    private int freeBuffersNow(int port) {
        try {
            return freeBuffers(port);
        } catch (RuntimeException | AssertionError e) {
            return -1;
        }
    }

    private RxStats serverStats(int port) {
        return endpoints().endpoint(port).stats();
    }

    private String progress() {
        return "completed " + new TreeMap<>(completed) + ", aborted " + new TreeMap<>(aborted) + ", restarts "
                + restarts + " (slowest " + slowestRestartMillis + " ms), clients killed " + killedClients
                + (failures.isEmpty() ? "" : ", FAILURES " + failures);
    }

    private static String codeName(int code) {
        return code == OUR_ABORT ? "ours (" + code + ")" : AbortCodes.name(code) + " (" + code + ")";
    }

    private static long count(Map<String, AtomicLong> m, String prefix) {
        return m.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(e -> e.getValue().get())
                .sum();
    }

    // ---- the relay and the client JVMs ----

    private static Process startRelay(int port, long seed) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classes = System.getProperty("rxrpc.itests.transportTestClasses");
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        classes,
                        "org.rxrpc.transport.testutil.LossyUdpRelayProcess",
                        String.valueOf(port),
                        String.valueOf(LOSS),
                        String.valueOf(DUPLICATION),
                        String.valueOf(REORDERING),
                        String.valueOf(seed))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static int relayPort(Process relay) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("relay ")) throw new AssertionError("relay did not start: " + line);
        return Integer.parseInt(line.substring(6).trim());
    }

    /** Closes the relay's input (it ends), returns what it printed last. */
    private static String stopRelay(Process relay) throws Exception {
        OutputStream in = relay.getOutputStream();
        in.close();
        String last = "";
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) last = line;
        relay.waitFor(10, TimeUnit.SECONDS);
        relay.getInputStream().close();
        relay.getErrorStream().close();
        return last;
    }

    /** The killed clients' class path: the bundles under test as plain jars, and this module's test classes. */
    private static String clientClassPath() {
        String dir = System.getProperty("rxrpc.itests.bundles", "target/osgi-bundles");
        String[] jars = {
            "rxrpc-api.jar", "rxrpc-transport.jar", "rxperf-service.jar", "slf4j-api.jar", "slf4j-simple.jar"
        };
        StringBuilder cp = new StringBuilder(System.getProperty("rxrpc.itests.testClasses", "target/test-classes"));
        for (String j : jars) cp.append(File.pathSeparator).append(new File(dir, j).getPath());
        return cp.toString();
    }
}
