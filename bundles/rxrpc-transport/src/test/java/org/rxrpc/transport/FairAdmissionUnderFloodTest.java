package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * A flood of half-open calls (a first packet and nothing more) takes every call slot of a service; a
 * well-behaved client from another address still completes each of its calls within 100 ms: its kept call
 * evicts the oldest half-open call of whoever holds the most.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FairAdmissionUnderFloodTest {
    private static final int HALF_OPEN_CALLS = 1000;
    private static final int GOOD_CALLS = 30;

    @ParameterizedTest(name = "from {0} flooding socket(s)")
    @ValueSource(ints = {1, 100})
    void aWellBehavedClientIsServedWithin100msWhileAFloodHoldsEverySlot(int floodSockets) throws Exception {
        EndpointOptions options =
                EndpointOptions.builder().idleTimeoutMillis(120_000).build();
        try (RxEndpoint server = new RxTransportImpl().open(options);
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 8, 16, "rxperf", new RxperfHandler(false))) {
            List<RawRxSocket> flood = new ArrayList<>();
            try {
                for (int s = 0; s < floodSockets; s++) flood.add(RawRxSocket.open());
                // Three rounds, as a client retries after BUSY, so that the flood takes every slot.
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < HALF_OPEN_CALLS; i++)
                        flood.get(i % floodSockets).send(server.localAddress(), halfOpen(i));
                    Thread.sleep(100);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (host.liveCalls() < 16 && System.nanoTime() < deadline) Thread.sleep(10);
                assertTrue(host.liveCalls() == 16, "the flood holds every slot: " + host.liveCalls());
                Thread.sleep(300); // and has gone quiet, longer than a lone half-open call is spared
                RxperfClient good = new RxperfClient(
                        client, server.localAddress(), CallOptions.DEFAULT.withHardTimeoutMillis(10_000));
                long[] micros = new long[GOOD_CALLS];
                for (int i = 0; i < GOOD_CALLS; i++) {
                    long t0 = System.nanoTime();
                    good.call(Rxperf.OP_RPC, 100, 100, true);
                    micros[i] = (System.nanoTime() - t0) / 1000;
                    Thread.sleep(20);
                }
                Arrays.sort(micros);
                String report = floodSockets + " flooding socket(s), " + HALF_OPEN_CALLS + " half-open calls: good"
                        + " calls done after median " + micros[GOOD_CALLS / 2] + " us, max " + micros[GOOD_CALLS - 1]
                        + " us; evicted " + server.stats().get(Counter.HALF_OPEN_CALLS_EVICTED) + ", BUSY "
                        + server.stats().get(Counter.BUSY_SENT) + ", live " + host.liveCalls();
                System.out.println(report);
                assertTrue(micros[GOOD_CALLS - 1] < 100_000, report);
                assertTrue(server.stats().get(Counter.HALF_OPEN_CALLS_EVICTED) >= 1, report);
            } finally {
                flood.forEach(RawRxSocket::close);
            }
        }
    }

    /** The first packet of call {@code i}: rxperf's request header, and the request never ends. */
    private static byte[] halfOpen(int i) {
        byte[] header = java.nio.ByteBuffer.allocate(8)
                .putInt(Rxperf.VERSION)
                .putInt(Rxperf.OP_SEND)
                .array();
        return RawRxSocket.data(
                0x8000_5555,
                (i + 1) << 2,
                1,
                1,
                1,
                RawPacket.FLAG_CLIENT_INITIATED,
                0,
                0,
                0,
                Rxperf.SERVICE_ID,
                header);
    }
}
