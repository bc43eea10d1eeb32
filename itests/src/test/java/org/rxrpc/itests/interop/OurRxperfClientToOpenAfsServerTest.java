package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.itests.interop.OpenAfsPeers.ServerProcess;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;

/**
 * Our {@link RxperfClient} against the OpenAFS library's server ({@code rxperf_server -V}, which checks
 * every request byte), with the reply pattern checked on our side (verify=true).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OurRxperfClientToOpenAfsServerTest {
    private static final int MIB = 1 << 20;

    private ServerProcess server;
    private RxEndpoint endpoint;
    private ExecutorService pool;

    private void start(String... serverArgs) throws InterruptedException {
        server = OpenAfsPeers.startServer(serverArgs);
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
    }

    @AfterEach
    void stop() {
        try {
            if (pool != null) pool.shutdownNow();
            if (endpoint != null) endpoint.close();
        } finally {
            if (server != null) server.close();
        }
    }

    private InetSocketAddress target() {
        return new InetSocketAddress(OpenAfsPeers.LOOPBACK, server.port);
    }

    private String context() {
        return "our endpoint " + endpoint.stats() + "\nOpenAFS server: " + server.log();
    }

    /** Runs {@code calls} calls one after another on one client, failing with context on the first error. */
    private void sequential(int calls, int op, long request, long reply) throws InterruptedException {
        RxperfClient client = new RxperfClient(endpoint, target(), CallOptions.DEFAULT);
        for (int i = 0; i < calls; i++) {
            try {
                client.call(op, request, reply, true);
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "call " + i + " (op " + op + ", " + request + "/" + reply + " B) failed: " + e + "\n"
                                + context(),
                        e);
            }
        }
    }

    /** Runs {@code calls} calls shared by {@code threads} threads, one client each. */
    private void concurrent(int threads, int calls, int op, long request, long reply) throws Exception {
        pool = Executors.newFixedThreadPool(threads);
        AtomicLong next = new AtomicLong();
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                RxperfClient client = new RxperfClient(endpoint, target(), CallOptions.DEFAULT);
                int mine = 0;
                while (next.getAndIncrement() < calls) {
                    client.call(op, request, reply, true);
                    mine++;
                }
                return mine;
            }));
        }
        int total = 0;
        for (Future<Integer> f : done) {
            try {
                total += f.get(75, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("a concurrent call failed: " + e.getCause() + "\n" + context(), e.getCause());
            }
        }
        assertEquals(calls, total);
    }

    private void assertServerStillRunning() {
        assertTrue(server.isAlive(), this::context);
    }

    @Test
    void sequentialSmallAndOneMebibyteCallsSucceedAgainstOpenAfsServer() throws Exception {
        start("-V");
        sequential(200, Rxperf.OP_RPC, 4, 4);
        sequential(4, Rxperf.OP_SEND, MIB, 0);
        sequential(4, Rxperf.OP_RECV, 0, MIB);
        sequential(4, Rxperf.OP_RPC, MIB, MIB);
        assertServerStillRunning();
    }

    @Test
    void eightConcurrentThreadsWithSmallRpcsSucceedAgainstOpenAfsServer() throws Exception {
        start("-V");
        concurrent(8, 400, Rxperf.OP_RPC, 4, 4);
        assertServerStillRunning();
    }

    @Test
    void eightConcurrentThreadsWithOneMebibyteRpcsSucceedAgainstOpenAfsServer() throws Exception {
        // -u 1024: the library's default socket buffer overflows with 8 MiB-sized calls in flight
        // (BASELINE.md), which would only measure the C server's loss recovery.
        start("-V", "-u", "1024");
        concurrent(8, 16, Rxperf.OP_RPC, MIB, MIB);
        assertServerStillRunning();
    }
}
