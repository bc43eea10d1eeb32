package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;

/** Our client against our server over real UDP on loopback, byte-exact in both directions. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CallsOverLoopbackTest {
    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost server;

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        server =
                ServiceHost.serve(serverEndpoint, Rxperf.SERVICE_ID, 32, 256, "rxperf-worker", new RxperfHandler(true));
    }

    @AfterEach
    void stop() {
        server.close();
        clientEndpoint.close();
        serverEndpoint.close();
    }

    private RxperfClient client(CallOptions options) {
        InetSocketAddress to = serverEndpoint.localAddress();
        return new RxperfClient(clientEndpoint, to, options);
    }

    @Test
    void smallRpcSucceedsAndEveryCallIsCounted() throws Exception {
        RxperfClient c = client(CallOptions.DEFAULT);
        for (int i = 0; i < 20; i++) c.call(Rxperf.OP_RPC, 4, 4, true);
        RxStats s = serverEndpoint.stats();
        assertEquals(20, s.get(Counter.CALLS_MADE_LIVE));
        assertEquals(0, s.drops(), s.toString());
        assertEquals(20, clientEndpoint.stats().get(Counter.CALLS_SUCCEEDED));
    }

    @Test
    void emptyRequestAndEmptyReplyAreByteExact() throws Exception {
        client(CallOptions.DEFAULT).call(Rxperf.OP_RPC, 0, 0, true);
        client(CallOptions.DEFAULT).call(Rxperf.OP_SEND, 0, 0, true);
        client(CallOptions.DEFAULT).call(Rxperf.OP_RECV, 0, 0, true);
    }

    @Test
    void messagesOfEverySizeArriveByteExactBothWays() throws Exception {
        long[] sizes = {1, 1411, 1412, 1413, 2824, 5000, 65536, 1 << 20, 4 << 20};
        RxperfClient c = client(CallOptions.DEFAULT);
        for (long size : sizes) {
            c.call(Rxperf.OP_SEND, size, 0, true);
            c.call(Rxperf.OP_RECV, 0, size, true);
            c.call(Rxperf.OP_RPC, size, size, true);
        }
    }

    @Test
    void sixtyFourMebibytesStreamBothWaysWithoutHoldingTheMessage() throws Exception {
        long size = 64L << 20;
        RxperfClient c = client(CallOptions.DEFAULT);
        c.call(Rxperf.OP_SEND, size, 0, true);
        c.call(Rxperf.OP_RECV, 0, size, true);
        // Streaming: the pool never held more than a window's worth, not the 64 MiB message.
        RxStats s = serverEndpoint.stats();
        assertEquals(0, s.get(Counter.DROP_NO_BUFFER), s.toString());
    }

    @Test
    void rxperfAbortsAnUnknownOperationAndABadVersionAsLinuxDoes() throws Exception {
        assertEquals(AbortCodes.RXGEN_OPCODE, rawRxperfCall(Rxperf.VERSION, 4));
        assertEquals(AbortCodes.RX_USER_ABORT, rawRxperfCall(2, Rxperf.OP_RPC));
        assertEquals(AbortCodes.RXGEN_SS_UNMARSHAL, rawRxperfCall(Rxperf.VERSION, -1));
    }

    /** Sends an rxperf header (op -1: a truncated request) and returns the abort code the server ends it with. */
    private int rawRxperfCall(int version, int op) throws Exception {
        try (RxCall call =
                clientEndpoint.newCall(serverEndpoint.localAddress(), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null)) {
            ByteBuffer request = ByteBuffer.allocate(24);
            request.putInt(version);
            if (op >= 0)
                request.putInt(op).putInt(65536).putInt(65536).putInt(0).putInt(0);
            request.flip();
            call.send(request, true);
            RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(call, 10));
            assertEquals(CallState.REMOTELY_ABORTED, e.state());
            return e.abortCode();
        }
    }

    @Test
    void newConnectionPerCallWorks() throws Exception {
        RxperfClient c = client(CallOptions.DEFAULT.withNewConnection(true));
        for (int i = 0; i < 50; i++) c.call(Rxperf.OP_RPC, 100, 100, true);
        assertTrue(serverEndpoint.stats().get(Counter.CONNECTIONS_CREATED) >= 50);
    }

    @Test
    void hundredsOfConcurrentCallsOfMixedSizesAreByteExact() throws Exception {
        int callers = 200;
        long[] sizes = {0, 4, 1412, 5000, 100_000, 1 << 20, 4 << 20};
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                long request = sizes[i % sizes.length];
                long reply = sizes[(i * 3 + 1) % sizes.length];
                // Keep the total traffic bounded: only a few callers move 4 MiB.
                if (request > (1 << 20) && i % 4 != 0) request = 65536;
                if (reply > (1 << 20) && i % 4 != 1) reply = 65536;
                long req = request;
                long rep = reply;
                results.add(pool.submit(() -> {
                    client(CallOptions.DEFAULT).call(Rxperf.OP_RPC, req, rep, true);
                    return null;
                }));
            }
            for (Future<?> f : results) f.get(240, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertEquals(callers, clientEndpoint.stats().get(Counter.CALLS_SUCCEEDED));
    }
}
