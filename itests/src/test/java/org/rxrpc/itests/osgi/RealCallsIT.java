package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;

/**
 * Item 3: real Rx calls from the test into the rxperf bundle inside Felix, small and 1 MiB, every byte
 * checked both ways (the client checks the reply, the server runs with verify=true and aborts 1000 on a
 * request byte off the pattern, which the last test shows it really does).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RealCallsIT extends RxOsgiTestSupport {
    private static final int MIB = 1 << 20;
    private static final CallOptions OPTIONS = CallOptions.DEFAULT.withHardTimeoutMillis(30_000);

    /** The rxperf port, chosen and configured by the first test of the class (one framework per class). */
    private static int port;

    @Before
    public void rxperfServes() throws Exception {
        if (bundle(RXPERF_BSN).getState() != Bundle.ACTIVE) {
            port = freeUdpPort();
            startRxperf(port, 8, 8, true);
        }
    }

    private RxperfClient client(RxEndpoint endpoint) {
        return new RxperfClient(endpoint, server(port), OPTIONS);
    }

    @Test(timeout = 60_000)
    public void smallCallsOfEveryOperationAreServedByteExact() throws Exception {
        try (RxEndpoint endpoint = openClient()) {
            RxperfClient c = client(endpoint);
            c.call(Rxperf.OP_RPC, 100, 100, true);
            c.call(Rxperf.OP_RPC, 0, 0, true);
            c.call(Rxperf.OP_SEND, 1000, 0, true);
            c.call(Rxperf.OP_RECV, 0, 1000, true);
            c.call(Rxperf.OP_RPC, 1412, 1413, true); // one byte past a full packet
            assertEquals(5, endpoint.stats().get(Counter.CALLS_SUCCEEDED));
        }
    }

    @Test(timeout = 60_000)
    public void oneMebibyteEachWayIsServedByteExact() throws Exception {
        try (RxEndpoint endpoint = openClient()) {
            RxperfClient c = client(endpoint);
            c.call(Rxperf.OP_SEND, MIB, 0, true);
            c.call(Rxperf.OP_RECV, 0, MIB, true);
            c.call(Rxperf.OP_RPC, MIB, MIB, true);
            assertEquals(3, endpoint.stats().get(Counter.CALLS_SUCCEEDED));
        }
    }

    @Test(timeout = 60_000)
    public void fourConcurrentOneMebibyteCallsAreServedByteExact() throws Exception {
        try (RxEndpoint endpoint = openClient()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(
                        () -> {
                            try {
                                client(endpoint).call(Rxperf.OP_RPC, MIB, MIB, true);
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "rpc-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join(45_000);
            if (failure.get() != null) throw new AssertionError("a concurrent call failed: " + failure.get());
            assertEquals(4, endpoint.stats().get(Counter.CALLS_SUCCEEDED));
        }
    }

    /** Through a shared endpoint of the transport (RxEndpoints.endpoint), which also originates calls. */
    @Test(timeout = 60_000)
    public void aSharedEndpointOfTheTransportMakesCallsToo() throws Exception {
        RxEndpoint shared = endpoints().endpoint(freeUdpPort());
        client(shared).call(Rxperf.OP_RPC, MIB, 100, true);
        client(shared).call(Rxperf.OP_RPC, 100, MIB, true);
    }

    /**
     * A call for a service nobody offers on a port is answered with OpenAFS's raw ABORT
     * RX_INVALID_OPERATION (ARCHITECTURE.md, "Unknown service"): our own client must end the call with
     * that code at once, as OpenAFS's client does, instead of retransmitting until its dead time.
     */
    @Test(timeout = 60_000)
    public void aCallForAServiceNobodyOffersEndsAtOnceWithRxInvalidOperation() throws Exception {
        int unknownService = 999;
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        long unknownBefore = serverEndpoint.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE);
        try (RxEndpoint endpoint = openClient();
                RxCall call = endpoint.newCall(server(port), unknownService, OPTIONS, null)) {
            long t0 = System.nanoTime();
            call.send(ByteBuffer.wrap(new byte[100]), true);
            boolean ended = call.awaitCompletion(3, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(
                    "the server answered the call as one for an unknown service",
                    serverEndpoint.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE) > unknownBefore);
            assertTrue(
                    "the call did not end within 3 s of the server's raw ABORT; client endpoint " + endpoint.stats(),
                    ended);
            assertEquals("ended after " + millis + " ms", AbortCodes.RX_INVALID_OPERATION, call.abortCode());
            assertEquals(CallState.REMOTELY_ABORTED, call.state());
        }
    }

    /** The server really checks the request: one byte off the pattern and it aborts with 1000. */
    @Test(timeout = 60_000)
    public void aRequestByteOffThePatternIsAbortedWith1000() throws Exception {
        try (RxEndpoint endpoint = openClient()) {
            int size = 10_000;
            ByteBuffer request = ByteBuffer.allocate(20 + size);
            request.putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_SEND)
                    .putInt(65536)
                    .putInt(65536)
                    .putInt(size);
            Rxperf.fillPattern(request.array(), 20, size, 0);
            request.array()[20 + 7777] ^= 1;
            request.rewind();
            try (RxCall call = endpoint.newCall(server(port), Rxperf.SERVICE_ID, OPTIONS, null)) {
                call.send(request, true);
                try {
                    call.receive(ByteBuffer.allocate(64), 20, TimeUnit.SECONDS);
                    fail("a corrupted request must be aborted");
                } catch (RxCallAbortedException e) {
                    assertEquals(CallState.REMOTELY_ABORTED, e.state());
                    assertEquals(Rxperf.ABORT_BAD_PAYLOAD, e.abortCode());
                }
            }
            assertTrue(endpoint.stats().abortsReceived().containsKey(Rxperf.ABORT_BAD_PAYLOAD));
        }
    }
}
