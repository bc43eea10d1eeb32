package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxStats;

/**
 * Item 5: 200 stop/start cycles of the rxperf bundle while a client thread keeps calling it leave
 * threads, open file descriptors (sockets above all) and retained heap flat.
 *
 * <p>The client takes a new connection per call ({@code newConnection}): a client that keeps its
 * connection across a restart is not served again (HotPlugIT has that test), and this test is about
 * leaks, not about that. Each such call leaves an idle server connection behind until the transport
 * reaps it, so the transport's connection idle time is shortened here (PID org.rxrpc.transport,
 * connectionIdleMillis) and the measurements are taken with the client paused long enough for the
 * reaping: what remains then is retained for good.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StopStartCyclesIT extends RxOsgiTestSupport {
    private static final int CYCLES = 200;
    private static final int WARM_UP = 5;
    private static final int BACKLOG = 4;
    private static final int MAX_LIVE = 4;
    private static final long CONNECTION_IDLE_MILLIS = 500;
    private static final long HEAP_SLACK = 16L << 20;

    private static final class Snapshot {
        final int rxperfThreads = threadCount(prefixed(RXPERF_BSN));
        /** Every thread but rxperf's handlers, which start on demand and end when idle. */
        final int threads = Thread.getAllStackTraces().size() - threadCount(prefixed(RXPERF_HANDLER_PREFIX));

        final int ioThreads = threadCount(prefixed("rx-io-"));
        final int fds = openFileDescriptors();
        final int sockets = openSockets();
        final long heap = retainedHeap();
        final Map<String, long[]> histogram = classHistogram();
        final RxStats server;

        Snapshot(RxStats server) {
            this.server = server;
        }

        @Override
        public String toString() {
            return "threads=" + threads + " (rxperf " + rxperfThreads + ", rx-io " + ioThreads + ") fds=" + fds
                    + " sockets=" + sockets + " heap=" + (heap >> 10) + " KiB; server connections created "
                    + server.get(Counter.CONNECTIONS_CREATED) + " reaped " + server.get(Counter.CONNECTIONS_REAPED);
        }
    }

    /** The client thread: rxperf calls in a loop, pausable for measurements. */
    private static final class Client extends Thread {
        final int port;
        final RxEndpoint endpoint;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicBoolean pause = new AtomicBoolean();
        final AtomicBoolean paused = new AtomicBoolean();
        final AtomicLong served = new AtomicLong();
        final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Client(RxEndpoint endpoint, int port) {
            super("cycling-client");
            this.endpoint = endpoint;
            this.port = port;
        }

        @Override
        public void run() {
            CallOptions options = CallOptions.DEFAULT
                    .withNewConnection(true)
                    .withHardTimeoutMillis(5_000)
                    .withBusyRetryMillis(3_000);
            try {
                while (!stop.get()) {
                    if (pause.get()) {
                        paused.set(true);
                        sleep(5);
                        continue;
                    }
                    paused.set(false);
                    try {
                        rpc(endpoint, port, 300, 300, options);
                        served.incrementAndGet();
                    } catch (RxCallAbortedException e) {
                        // The restarts abort calls in progress; BUSY and timeouts are tolerated too.
                        refused.computeIfAbsent(e.state() + " " + AbortCodes.name(e.abortCode()), k -> new AtomicLong())
                                .incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.set(t); // a wrong reply byte (BadReplyException) or anything unexpected
            }
        }

        void checkFailure() {
            if (failure.get() != null) throw new AssertionError("client failed: " + failure.get());
        }
    }

    @Test(timeout = 180_000)
    public void twoHundredStopStartCyclesUnderCallsLeaveThreadsFdsAndHeapFlat() throws Exception {
        configure(TRANSPORT_PID, Map.of("connectionIdleMillis", CONNECTION_IDLE_MILLIS));
        await("RxEndpoints re-registered with connectionIdleMillis=" + CONNECTION_IDLE_MILLIS, 10_000, () -> {
            ServiceReference<RxEndpoints> ref = context.getServiceReference(RxEndpoints.class);
            return ref != null
                    && String.valueOf(CONNECTION_IDLE_MILLIS)
                            .equals(String.valueOf(ref.getProperty("connectionIdleMillis")));
        });
        int port = freeUdpPort();
        startRxperf(port, BACKLOG, MAX_LIVE, true);
        Bundle rxperf = bundle(RXPERF_BSN);

        Snapshot baseline = null;
        Snapshot after = null;
        long t0 = System.nanoTime();
        try (RxEndpoint clientEndpoint = openClient()) {
            Client client = new Client(clientEndpoint, port);
            client.start();
            try {
                for (int cycle = 1; cycle <= CYCLES; cycle++) {
                    rxperf.stop();
                    int c = cycle;
                    await(
                            () -> "cycle " + c + ": rxperf threads left after stop: "
                                    + threadNames(prefixed(RXPERF_BSN)),
                            5_000,
                            () -> threadCount(prefixed(RXPERF_BSN)) == 0);
                    rxperf.start();
                    await(
                            () -> "cycle " + c + ": rxperf threads after start: " + threadNames(prefixed(RXPERF_BSN)),
                            5_000,
                            () -> threadCount(named(RXPERF_WORKER)) == 1
                                    && threadCount(prefixed(RXPERF_HANDLER_PREFIX)) <= MAX_LIVE);
                    if (cycle % 10 == 0) {
                        // Calls really run against the restarted service: wait for one to be served.
                        long before = client.served.get();
                        await(
                                () -> "cycle " + c + ": no call served; refused " + client.refused + " failure "
                                        + client.failure.get(),
                                15_000,
                                () -> client.served.get() > before || client.failure.get() != null);
                    } else {
                        sleep(cycle % 7);
                    }
                    client.checkFailure();
                    if (cycle == WARM_UP) baseline = measure(client, port);
                }
                after = measure(client, port);
            } finally {
                client.stop.set(true);
                client.join(15_000);
            }
            client.checkFailure();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String report = CYCLES + " cycles in " + millis + " ms; served " + client.served + ", refused "
                    + new TreeMap<>(client.refused) + "\n  after " + WARM_UP + " cycles: " + baseline + "\n  after "
                    + CYCLES + " cycles: " + after
                    + "\n  live bytes grown most (the baseline's own histogram, ~2000 HashMap entries of a String"
                    + " and a long[], counts here):"
                    + histogramGrowth(baseline.histogram, after.histogram, 15)
                    + "\n  client endpoint " + clientEndpoint.stats() + "\n  server endpoint " + after.server;
            System.out.println(report);

            assertTrue("calls were served during the cycles: " + report, client.served.get() >= CYCLES / 10);
            assertTrue(
                    "rxperf threads (its worker and at most " + MAX_LIVE + " handlers): " + report,
                    after.rxperfThreads >= 1 && after.rxperfThreads <= 1 + MAX_LIVE);
            assertEquals("rx-io threads: " + report, baseline.ioThreads, after.ioThreads);
            assertTrue("threads: " + report, after.threads <= baseline.threads + 2);
            assertTrue("sockets: " + report, after.sockets <= baseline.sockets);
            assertTrue("file descriptors: " + report, after.fds <= baseline.fds + 4);
            assertTrue("retained heap: " + report, after.heap - baseline.heap < HEAP_SLACK);
        }
        awaitServing(port, 15_000);
    }

    /**
     * Pauses the client, lets the transport reap the idle connections of its finished calls, waits
     * until the rxperf threads are all there, and takes a snapshot.
     */
    private Snapshot measure(Client client, int port) {
        client.pause.set(true);
        try {
            await("the client paused", 20_000, client.paused::get);
            await(
                    "rxperf threads: " + threadNames(prefixed(RXPERF_BSN)),
                    10_000,
                    () -> threadCount(prefixed(RXPERF_BSN)) <= 1 + MAX_LIVE);
            // Reaping runs once a second; dedicated client connections linger 2 s.
            sleep(Math.max(CONNECTION_IDLE_MILLIS, 2_000) + 1_500);
            // (the shared endpoint of the port, looked up while rxperf listens on it: the transport may
            // close a port's endpoint when its last service goes)
            return new Snapshot(endpoints().endpoint(port).stats());
        } finally {
            client.pause.set(false);
        }
    }
}
