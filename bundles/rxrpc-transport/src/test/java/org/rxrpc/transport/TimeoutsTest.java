package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
import org.rxrpc.api.RxService;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/** Liveness: keepalive PINGs, dead peers, idle and hard timeouts, and reaping of idle connections. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutsTest {
    private static final EndpointOptions SHORT = EndpointOptions.defaults().withTimeouts(1200, 800, 300);

    @Test
    void aServerCallWhoseClientFallsSilentIsPingedThenAbortedAndTheClientIsTold() throws Exception {
        BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        try (RxEndpoint server = new RxTransportImpl().open(SHORT);
                RawRxSocket raw = RawRxSocket.open()) {
            RxService s = server.listen(500, 2, (svc, c, id) -> live.add(c), (c, id) -> {});
            s.charge(1, (c, id) -> {}, null);
            // The first packet of a two-packet request, then silence.
            raw.send(
                    server.localAddress(),
                    RawRxSocket.data(0x80000001, 0x40, 1, 1, 1, 1, 0, 0, 0, 500, new byte[1412]));
            RxCall call = live.poll(5, TimeUnit.SECONDS);
            assertNotNull(call);
            assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(call, 10));
            assertEquals(CallState.LOCALLY_ABORTED, call.state());
            assertTrue(call.abortCode() == AbortCodes.RX_CALL_TIMEOUT || call.abortCode() == AbortCodes.RX_CALL_DEAD);
            List<byte[]> got = raw.receiveAll(Duration.ofMillis(300));
            boolean pinged = false;
            boolean aborted = false;
            for (byte[] d : got) {
                RawPacket p = RawPacket.parse(d);
                if (p.type() == RawPacket.TYPE_ACK && p.ack().reason() == RawPacket.ACK_PING) pinged = true;
                if (p.type() == RawPacket.TYPE_ABORT && p.abortCode() == call.abortCode()) aborted = true;
            }
            assertTrue(pinged, "keepalive PING sent while the request stalled");
            assertTrue(aborted, "the client is told with an ABORT");
        }
    }

    @Test
    void aClientCallToASilentServerFailsDead() throws Exception {
        try (RxEndpoint client = new RxTransportImpl().open(SHORT);
                RawRxSocket silent = RawRxSocket.open()) {
            RxCall call = client.newCall(silent.address(), 500, CallOptions.DEFAULT, null);
            call.send(ByteBuffer.wrap(new byte[10]), true);
            RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(call, 10));
            assertEquals(AbortCodes.RX_CALL_DEAD, e.abortCode());
            assertTrue(client.stats().get(Counter.DATA_PACKETS_RETRANSMITTED) > 0);
        }
    }

    @Test
    void theHardTimeoutEndsACallThatGetsNoReply() throws Exception {
        BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults())) {
            RxService s = server.listen(500, 2, (svc, c, id) -> live.add(c), (c, id) -> {});
            s.charge(1, (c, id) -> {}, null);
            RxCall call =
                    client.newCall(server.localAddress(), 500, CallOptions.DEFAULT.withHardTimeoutMillis(400), null);
            call.send(ByteBuffer.wrap(new byte[10]), true);
            long start = System.nanoTime();
            RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(call, 10));
            assertEquals(AbortCodes.RX_CALL_TIMEOUT, e.abortCode());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            RxCall serverSide = live.poll(5, TimeUnit.SECONDS);
            assertTrue(serverSide.awaitCompletion(5, TimeUnit.SECONDS));
            assertEquals(CallState.REMOTELY_ABORTED, serverSide.state());
            assertEquals(AbortCodes.RX_CALL_TIMEOUT, serverSide.abortCode());
        }
    }

    @Test
    void idleConnectionsAndPeersAreReaped() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(SHORT);
                RxEndpoint client = new RxTransportImpl().open(SHORT);
                ServiceHost rxperf =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 4, 4, "rxperf-worker", new RxperfHandler(true))) {
            new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT).call(Rxperf.OP_RPC, 10, 10, true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline
                    && (server.stats().get(Counter.CONNECTIONS_REAPED) == 0
                            || client.stats().get(Counter.PEERS_REAPED) == 0)) {
                Thread.sleep(100);
            }
            assertEquals(1, server.stats().get(Counter.CONNECTIONS_REAPED));
            assertEquals(1, client.stats().get(Counter.CONNECTIONS_REAPED));
            assertEquals(1, client.stats().get(Counter.PEERS_REAPED));
            // A new call after reaping works on a fresh connection.
            new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT).call(Rxperf.OP_RPC, 10, 10, true);
        }
    }
}
