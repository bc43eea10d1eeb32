package org.rxrpc.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.DatagramMutator;
import org.rxrpc.transport.testutil.PacketRules;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * The mutation fuzzer (issue 11, item 6): mutated OpenAFS packets ({@link DatagramMutator}) over real
 * UDP on 127.0.0.1 into a live endpoint serving the real rxperf service, from several source sockets
 * that also answer what the server sends them (a final ACK, an ABORT, or the packet itself mutated),
 * while a well-behaved client keeps making rxperf calls through the same endpoint. At the end it checks:
 * the I/O thread is alive and no exception reached the receive loop's safety net (its log line), every
 * datagram sent was received and every malformed one counted, every well-behaved call succeeded
 * byte-exact, and once the junk calls have timed out, the packet pool is full again, no thread was left
 * behind and the retained heap did not grow.
 *
 * <p>{@code MutationFuzzTest} runs 200,000 datagrams in the test suite. The long run is this class's
 * {@code main} on the test class path (README "Hostile input and floods"):
 *
 * <pre>
 * mvn -B -o -q -pl bundles/rxrpc-transport -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test
 * T=bundles/rxrpc-transport/target
 * taskset -c 1 java -cp "$(cat $T/test-cp.txt):$T/test-classes:$T/classes" \
 *     org.rxrpc.transport.MutationFuzzer --datagrams 10000000 --seed 1
 * </pre>
 */
public final class MutationFuzzer {
    /** What to run. */
    public record Config(
            long datagrams,
            long maxMillis,
            long seed,
            int sources,
            int clientThreads,
            Path captures,
            long progressMillis) {
        public static Config of(long datagrams, long seed) {
            String dir = System.getProperty("rxrpc.captures");
            return new Config(
                    datagrams, TimeUnit.MINUTES.toMillis(60), seed, 8, 2, dir == null ? null : Path.of(dir), 10_000);
        }

        public Config withMaxMillis(long millis) {
            return new Config(datagrams, millis, seed, sources, clientThreads, captures, progressMillis);
        }

        public Config withProgressMillis(long millis) {
            return new Config(datagrams, maxMillis, seed, sources, clientThreads, captures, millis);
        }
    }

    /** What happened, and what went wrong (empty if nothing). */
    public record Result(List<String> failures, String report) {
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    private static final int RXPERF_BACKLOG = 32;
    private static final int RXPERF_MAX_LIVE = 64;
    /** Datagrams sent but not yet counted by the server: kept under this so no socket buffer overflows. */
    private static final int WINDOW = 256;
    /** Junk calls end within dead time / idle timeout; idle connections go after connectionIdle. */
    private static final long DEAD_MILLIS = 4_000;

    private static final long CONNECTION_IDLE_MILLIS = 1_000;
    private static final String HOST_NAME = "fuzz-rxperf";
    private static final String CLIENT_THREAD = "fuzz-good-client-";
    private static final long[] SIZES = {0, 4, 100, 1412, 1413, 5000, 20_000, 70_000};
    /** Between two calls of a well-behaved client thread. */
    private static final long PAUSE_MILLIS = 4;

    private final Config config;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<PacketRules.Verdict, Long> sentByVerdict = new EnumMap<>(PacketRules.Verdict.class);
    private long sent;
    private long answers;
    private long truncatedSent;
    private long oversizedSent;
    private long sendRefused;
    /** The last datagrams sent, for the report of an escaped exception. */
    private final byte[][] recent = new byte[1024][];

    private MutationFuzzer(Config config) {
        this.config = config;
    }

    public static Result run(Config config) throws Exception {
        return new MutationFuzzer(config).run();
    }

    // ---- the well-behaved client ----

    private static final class GoodClient {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong maxMillis = new AtomicLong();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = new ArrayList<>();

        void start(RxEndpoint endpoint, InetSocketAddress server, int n) {
            for (int t = 0; t < n; t++) {
                int offset = t;
                Thread th = new Thread(
                        () -> {
                            RxperfClient c = new RxperfClient(
                                    endpoint, server, CallOptions.DEFAULT.withHardTimeoutMillis(60_000));
                            for (int i = offset; !stop.get(); i++) {
                                long t0 = System.nanoTime();
                                try {
                                    c.call(
                                            Rxperf.OP_RPC,
                                            SIZES[i % SIZES.length],
                                            SIZES[(i * 3 + 1) % SIZES.length],
                                            true);
                                    ok.incrementAndGet();
                                    maxMillis.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                                    Thread.sleep(PAUSE_MILLIS); // a steady client, not a second load generator
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    failed.incrementAndGet();
                                    if (errors.size() < 10) errors.add(e.toString());
                                }
                            }
                        },
                        CLIENT_THREAD + t);
                th.setDaemon(true);
                threads.add(th);
                th.start();
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) t.join(90_000);
        }
    }

    // ---- the safety net's log line ----

    /**
     * Watches stderr (slf4j-simple's output) for the lines the endpoint logs when an exception reaches its
     * receive loop's safety net or kills its I/O thread, and for the service host's handler errors.
     */
    private static final class LogWatch extends OutputStream {
        final PrintStream original = System.err;
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        final List<String> transportErrors = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong handlerLines = new AtomicLong();
        final AtomicLong transportErrorCount = new AtomicLong();

        LogWatch install() {
            System.setErr(new PrintStream(this, true, StandardCharsets.UTF_8));
            return this;
        }

        void uninstall() {
            System.setErr(original);
        }

        @Override
        public synchronized void write(int b) {
            original.write(b);
            if (b == '\n') {
                check(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() < 4096) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        @Override
        public void flush() {
            original.flush();
        }

        private void check(String s) {
            if (s.contains("caused an error")
                    || (s.contains("I/O thread of") && s.contains("failed"))
                    || s.contains("command on the I/O thread failed")) {
                transportErrorCount.incrementAndGet();
                if (transportErrors.size() < 20) transportErrors.add(s);
            } else if (s.contains(HOST_NAME) && (s.contains("WARN") || s.contains("ERROR"))) {
                handlerLines.incrementAndGet();
            }
        }
    }

    // ---- the run ----

    private Result run() throws Exception {
        LogWatch log = new LogWatch().install();
        EndpointOptions serverOptions = EndpointOptions.defaults()
                .withBind("127.0.0.1", 0)
                .withTimeouts(DEAD_MILLIS, DEAD_MILLIS, CONNECTION_IDLE_MILLIS);
        Endpoint server = (Endpoint) new RxTransportImpl().open(serverOptions);
        EndpointInternals internals = new EndpointInternals(server);
        InetSocketAddress serverAddress = server.localAddress();
        ServiceHost rxperf = null;
        RxEndpoint client = null;
        GoodClient good = new GoodClient();
        List<DatagramChannel> sources = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        try {
            rxperf = ServiceHost.serve(
                    server, Rxperf.SERVICE_ID, RXPERF_BACKLOG, RXPERF_MAX_LIVE, HOST_NAME, new RxperfHandler(true));
            client = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
            // Warm up (classes, JIT, the service's threads), then the baseline.
            for (int i = 0; i < 20; i++) {
                new RxperfClient(client, serverAddress, CallOptions.DEFAULT).call(Rxperf.OP_RPC, 1000, 1000, true);
            }
            Quiet baseline = quiet(internals, server, null);
            report.append(String.format(
                    "baseline: %d threads, %d free packet buffers, retained heap %.1f MiB%n",
                    baseline.threads.size(), baseline.freeBuffers, baseline.heap / 1048576.0));

            for (int i = 0; i < config.sources(); i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                ch.bind(new InetSocketAddress("127.0.0.1", 0));
                ch.configureBlocking(false);
                sources.add(ch);
            }
            RxStats serverBefore = server.stats();
            RxStats clientBefore = client.stats();
            long dropsBefore = KernelUdpDrops.of(serverAddress.getPort());
            good.start(client, serverAddress, config.clientThreads());

            long t0 = System.nanoTime();
            long elapsed = fuzz(server, client, serverAddress, sources, report, t0);
            long fuzzNanos = System.nanoTime() - t0;

            good.stop();
            // Everything sent has been received (or dropped by the kernel, which is counted there).
            long kernelDrops = KernelUdpDrops.of(serverAddress.getPort()) - dropsBefore;
            RxStats clientAfter = client.stats();
            long expected = sent + clientAfter.get(Counter.DATAGRAMS_SENT) - clientBefore.get(Counter.DATAGRAMS_SENT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            RxStats serverAfter = server.stats();
            while (arrived(serverBefore, serverAfter) < expected - Math.max(0, kernelDrops)
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
                serverAfter = server.stats();
            }
            client.close();
            client = null;
            for (DatagramChannel ch : sources) ch.close();
            sources.clear();

            long received = arrived(serverBefore, serverAfter);
            long rejected = serverAfter.drops()
                    - serverBefore.drops()
                    + delta(serverBefore, serverAfter, Counter.CALLS_FOR_UNKNOWN_SERVICE);
            long malformed = sentByVerdict.getOrDefault(PacketRules.Verdict.MALFORMED, 0L)
                    + sentByVerdict.getOrDefault(PacketRules.Verdict.SECURITY, 0L);
            report.append(String.format(
                    "fuzz: %,d datagrams in %.1f s = %,.0f datagrams/s from %d sources (plus %,d answers to the"
                            + " server among them); send refused by the socket %,d times%n",
                    sent, fuzzNanos / 1e9, sent / (fuzzNanos / 1e9), config.sources(), answers, sendRefused));
            report.append("  by verdict: ")
                    .append(sentByVerdict)
                    .append(String.format(
                            "; shorter than a header %,d, oversized %,d%n", truncatedSent, oversizedSent));
            report.append(String.format(
                    "server: received %,d (oversized included; expected %,d; kernel drops %d), rejected and counted %,d (malformed sent"
                            + " %,d)%n",
                    received, expected, kernelDrops, rejected, malformed));
            report.append("  counters moved: ")
                    .append(moved(serverBefore, serverAfter))
                    .append('\n');
            report.append("  aborts sent: ")
                    .append(new TreeMap<>(serverAfter.abortsSent()))
                    .append('\n');
            report.append(String.format(
                    "well-behaved client: %,d calls ok, %d failed, slowest %d ms %s%n",
                    good.ok.get(), good.failed.get(), good.maxMillis.get(), good.errors));
            report.append(String.format(
                    "log: %d transport errors, %d service-host warnings (handlers of junk calls)%n",
                    log.transportErrorCount.get(), log.handlerLines.get()));

            if (!internals.ioThread().isAlive()) failures.add("the server's I/O thread died");
            if (log.transportErrorCount.get() > 0) {
                failures.add("exceptions reached the receive loop's safety net: " + log.transportErrors);
                dumpRecent();
            }
            if (kernelDrops >= 0 ? received != expected - kernelDrops : received > expected) {
                failures.add("the server received " + received + " datagrams, expected " + expected
                        + " less kernel drops " + kernelDrops);
            }
            if (rejected < malformed - Math.max(0, kernelDrops)) {
                failures.add(
                        "malformed datagrams sent " + malformed + ", but only " + rejected + " rejected and counted");
            }
            long oversizedCounted = delta(serverBefore, serverAfter, Counter.DROP_OVERSIZED);
            if (kernelDrops == 0 && oversizedCounted != oversizedSent) {
                failures.add("oversized datagrams sent " + oversizedSent + ", counted " + oversizedCounted);
            }
            if (kernelDrops == 0 && delta(serverBefore, serverAfter, Counter.DROP_TRUNCATED) < truncatedSent) {
                failures.add("datagrams shorter than a header sent " + truncatedSent + ", counted as truncated "
                        + delta(serverBefore, serverAfter, Counter.DROP_TRUNCATED));
            }
            if (good.failed.get() > 0 || good.ok.get() == 0) {
                failures.add("well-behaved calls: " + good.ok.get() + " ok, " + good.failed.get() + " failed "
                        + good.errors);
            }

            // Leaks: once every junk call has timed out and its connection gone.
            Quiet after = quiet(internals, server, baseline);
            report.append(String.format(
                    "after: %d threads, %d free packet buffers, retained heap %.1f MiB (%+.1f MiB); %d live calls,"
                            + " %d connections, %d peers%n",
                    after.threads.size(),
                    after.freeBuffers,
                    after.heap / 1048576.0,
                    (after.heap - baseline.heap) / 1048576.0,
                    after.state.liveCalls(),
                    after.state.connections(),
                    after.state.peers()));
            if (after.state.liveCalls() != 0) failures.add("live calls left: " + after.state.liveCalls());
            if (after.freeBuffers != baseline.freeBuffers) {
                failures.add("packet buffers free " + after.freeBuffers + ", were " + baseline.freeBuffers);
            }
            Set<String> extra = new TreeSet<>(after.threads);
            extra.removeAll(baseline.threads);
            extra.removeIf(n -> n.startsWith(HOST_NAME + "-call-")); // handler threads idle out after a minute
            if (!extra.isEmpty()) failures.add("threads left behind: " + extra);
            if (after.heap - baseline.heap > 32L << 20) {
                failures.add(String.format("retained heap grew by %.1f MiB", (after.heap - baseline.heap) / 1048576.0));
            }
            if (elapsed >= config.maxMillis()) report.append("(stopped at the time limit)\n");
        } finally {
            good.stop.set(true);
            for (DatagramChannel ch : sources) ch.close();
            if (client != null) client.close();
            if (rxperf != null) rxperf.close();
            server.close();
            log.uninstall();
        }
        return new Result(List.copyOf(failures), report.toString());
    }

    /** Sends the datagrams; returns the milliseconds it took. */
    private long fuzz(
            Endpoint server,
            RxEndpoint client,
            InetSocketAddress to,
            List<DatagramChannel> sources,
            StringBuilder report,
            long t0)
            throws IOException, InterruptedException {
        DatagramMutator mutator = new DatagramMutator(config.seed(), config.captures());
        Random r = new Random(config.seed() ^ 0x5DEECE66DL);
        DatagramMutator.Identity[] ids = new DatagramMutator.Identity[sources.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = mutator.newIdentity();
        ByteBuffer in = ByteBuffer.allocate(65536);
        RxStats st0 = server.stats();
        // An oversized datagram is counted as dropped, not as received.
        long serverBase = st0.get(Counter.DATAGRAMS_RECEIVED) + st0.get(Counter.DROP_OVERSIZED);
        long clientBase = client.stats().get(Counter.DATAGRAMS_SENT);
        long nextProgress = t0 + TimeUnit.MILLISECONDS.toNanos(config.progressMillis());
        byte[] previous = null;
        while (sent < config.datagrams()) {
            long now = System.nanoTime();
            if (now - t0 >= TimeUnit.MILLISECONDS.toNanos(config.maxMillis())) break;
            // Keep the server's socket buffer from overflowing: no more than WINDOW datagrams in flight.
            while (true) {
                RxStats st = server.stats();
                long inFlight = sent
                        - (st.get(Counter.DATAGRAMS_RECEIVED)
                                + st.get(Counter.DROP_OVERSIZED)
                                - serverBase
                                - (client.stats().get(Counter.DATAGRAMS_SENT) - clientBase));
                if (inFlight < WINDOW) break;
                if (Thread.interrupted()) throw new InterruptedException();
                if (System.nanoTime() - now > TimeUnit.SECONDS.toNanos(30)) {
                    failures.add("the server stopped receiving: " + inFlight + " datagrams in flight for 30 s");
                    return (System.nanoTime() - t0) / 1_000_000;
                }
                Thread.onSpinWait();
            }
            for (int burst = 0; burst < WINDOW / 2 && sent < config.datagrams(); burst++) {
                int s = r.nextInt(sources.size());
                byte[] d = r.nextInt(50) == 0 && previous != null ? previous : mutator.next(ids[s]);
                send(sources.get(s), d, to);
                previous = d;
            }
            // What the server sent back: answered, now and then, as a client would (or would not).
            for (int s = 0; s < sources.size(); s++) {
                DatagramChannel ch = sources.get(s);
                for (int k = 0; k < 64; k++) {
                    in.clear();
                    if (ch.receive(in) == null) break;
                    byte[] answer = answer(in.array(), in.position(), ids[s], mutator, r);
                    if (answer != null && sent < config.datagrams()) {
                        send(ch, answer, to);
                        answers++;
                    }
                }
            }
            if (System.nanoTime() - nextProgress >= 0) {
                nextProgress += TimeUnit.MILLISECONDS.toNanos(config.progressMillis());
                double secs = (System.nanoTime() - t0) / 1e9;
                RxStats st = server.stats();
                System.out.printf(
                        "fuzz %6.0f s: %,d datagrams (%,.0f/s), server drops %,d, calls made live %,d, heap used %.0f MiB%n",
                        secs,
                        sent,
                        sent / secs,
                        st.drops(),
                        st.get(Counter.CALLS_MADE_LIVE),
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0);
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void send(DatagramChannel ch, byte[] d, InetSocketAddress to) throws IOException, InterruptedException {
        // 0 bytes sent: no room in the socket's buffer, unless the datagram is empty (then it went).
        while (ch.send(ByteBuffer.wrap(d), to) == 0 && d.length > 0) {
            sendRefused++;
            if (Thread.interrupted()) throw new InterruptedException();
            Thread.yield();
        }
        recent[(int) (sent % recent.length)] = d;
        sent++;
        sentByVerdict.merge(PacketRules.judge(d), 1L, Long::sum);
        if (d.length < PacketRules.HEADER) truncatedSent++;
        if (d.length > DatagramMutator.MAX_DATAGRAM) oversizedSent++;
    }

    /**
     * An answer to what the server sent a fuzz source, or null: a final ACK for reply DATA, a PING
     * response, an ABORT to end a call, or the server's own packet turned round and mutated.
     */
    private static byte[] answer(
            byte[] buf, int length, DatagramMutator.Identity id, DatagramMutator mutator, Random r) {
        if (length < PacketRules.HEADER) return null;
        RawPacket p = RawPacket.parse(java.util.Arrays.copyOf(buf, length));
        int dice = r.nextInt(10);
        int flags = RawPacket.FLAG_CLIENT_INITIATED;
        if (dice < 2) {
            byte[] back = java.util.Arrays.copyOf(buf, length);
            back[21] |= RawPacket.FLAG_CLIENT_INITIATED;
            return mutator.mutate(back, id);
        }
        if (p.type() == RawPacket.TYPE_DATA && dice < 8) {
            int last = p.seq() + (p.hasFlags(RawPacket.FLAG_JUMBO_PACKET) ? PacketRules.subPackets(buf) - 1 : 0);
            return RawRxSocket.packet(
                    RawRxSocket.header(
                            p.epoch(),
                            p.cid(),
                            p.callNumber(),
                            0,
                            p.serial() + 1000,
                            RawPacket.TYPE_ACK,
                            flags | RawPacket.FLAG_SLOW_START_OK,
                            0,
                            0,
                            0,
                            p.serviceId()),
                    RawRxSocket.ackBody(
                            last + 1, last, p.serial(), RawPacket.ACK_DELAY, new byte[0], 5692, 1444, 32, 4));
        }
        if (p.type() == RawPacket.TYPE_ACK && dice < 6) {
            boolean ping = p.body().length > 16 && p.body()[16] == RawPacket.ACK_PING;
            if (ping) {
                return RawRxSocket.packet(
                        RawRxSocket.header(
                                p.epoch(),
                                p.cid(),
                                p.callNumber(),
                                0,
                                p.serial() + 1000,
                                RawPacket.TYPE_ACK,
                                flags,
                                0,
                                0,
                                0,
                                p.serviceId()),
                        RawRxSocket.ackBody(
                                1, 0, p.serial(), RawPacket.ACK_PING_RESPONSE, new byte[0], 5692, 1444, 32, 4));
            }
            return RawRxSocket.packet(
                    RawRxSocket.header(
                            p.epoch(),
                            p.cid(),
                            p.callNumber(),
                            0,
                            p.serial() + 1000,
                            RawPacket.TYPE_ABORT,
                            flags,
                            0,
                            0,
                            0,
                            p.serviceId()),
                    RawRxSocket.abortBody(r.nextBoolean() ? -1 : 1 + r.nextInt(1000)));
        }
        return null;
    }

    /** The endpoint once everything from the fuzz has timed out and gone: threads, buffers, heap. */
    private record Quiet(Set<String> threads, int freeBuffers, long heap, EndpointInternals.State state) {}

    private Quiet quiet(EndpointInternals internals, Endpoint server, Quiet baseline) throws InterruptedException {
        // Junk calls end within the dead time (calls waiting for ACKs) or idle timeout (requests never
        // finished); their connections are reaped once idle, and the handler threads finish their calls.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * DEAD_MILLIS + 10_000);
        EndpointInternals.State s = internals.state();
        while (System.nanoTime() < deadline) {
            s = internals.state();
            boolean idle = s.liveCalls() == 0 && s.keptPackets() == 0;
            if (baseline == null ? idle : idle && s.freeBuffers() == baseline.freeBuffers && s.connections() == 0)
                break;
            Thread.sleep(100);
        }
        Set<String> threads = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.isAlive()) threads.add(t.getName());
        threads.removeIf(n -> n.startsWith(CLIENT_THREAD));
        return new Quiet(threads, server.pool.available(), retainedHeap(), s);
    }

    static long retainedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Datagrams that reached the server between two snapshots: those counted as received, and the
     * oversized ones, which are counted only as dropped (they never reach the decoder).
     */
    private static long arrived(RxStats a, RxStats b) {
        return delta(a, b, Counter.DATAGRAMS_RECEIVED) + delta(a, b, Counter.DROP_OVERSIZED);
    }

    private static long delta(RxStats a, RxStats b, Counter c) {
        return b.get(c) - a.get(c);
    }

    private static String moved(RxStats a, RxStats b) {
        Map<String, Long> m = new TreeMap<>();
        for (Counter c : Counter.values()) {
            if (c == Counter.IO_THREAD_ALLOCATED_BYTES) continue;
            long d = delta(a, b, c);
            if (d != 0) m.put(c.name(), d);
        }
        return m.toString();
    }

    private void dumpRecent() {
        try {
            Path dir = Path.of("target");
            Files.createDirectories(dir);
            Path f = dir.resolve("fuzz-recent-datagrams-seed-" + config.seed() + ".txt");
            StringBuilder sb = new StringBuilder();
            for (long i = Math.max(0, sent - recent.length); i < sent; i++) {
                byte[] d = recent[(int) (i % recent.length)];
                sb.append(i).append(' ').append(HexFormat.of().formatHex(d)).append('\n');
            }
            Files.writeString(f, sb);
            failures.add("the last " + Math.min(sent, recent.length) + " datagrams sent are in " + f.toAbsolutePath());
        } catch (IOException e) {
            failures.add("could not write the recent datagrams: " + e);
        }
    }

    /** The kernel's count of datagrams it dropped for a UDP socket bound to 127.0.0.1 (/proc/net/udp). */
    static final class KernelUdpDrops {
        private KernelUdpDrops() {}

        /** The drops of the socket on {@code port}, or -1 if the kernel does not say. */
        static long of(int port) {
            String local = String.format("0100007F:%04X", port);
            try {
                for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length >= 13 && f[1].equals(local)) return Long.parseLong(f[f.length - 1]);
                }
            } catch (IOException | RuntimeException e) {
                return -1;
            }
            return -1;
        }
    }

    // ---- main: the long run ----

    public static void main(String[] args) throws Exception {
        long datagrams = 10_000_000;
        long seed = 1;
        long minutes = 60;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--datagrams" -> datagrams = Long.parseLong(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--max-minutes" -> minutes = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: MutationFuzzer [--datagrams N] [--seed S] [--max-minutes M]");
                    System.exit(2);
                }
            }
        }
        Config c = Config.of(datagrams, seed).withMaxMillis(TimeUnit.MINUTES.toMillis(minutes));
        System.out.printf("mutation fuzzer: %,d datagrams, seed %d, captures %s%n", datagrams, seed, c.captures());
        Result result = run(c);
        System.out.print(result.report());
        if (result.ok()) {
            System.out.println("RESULT ok");
            System.exit(0);
        }
        System.out.println("RESULT failed:");
        for (String f : result.failures()) System.out.println("  " + f);
        System.exit(1);
    }
}
