package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/** The edges of the incoming-call path: closing with kept packets, listen order, bounded tables. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AcceptEdgeCasesTest {
    private static final int SERVICE = 4646;

    @Test
    void aKeptFirstPacketOfAServiceClosedWithoutDrainIsAnsweredWithTheClosedServiceAbort() throws Exception {
        EndpointOptions noDrain = EndpointOptions.builder()
                .newCallDeferMillis(10_000)
                .serviceDrainMillis(0)
                .build();
        try (RxEndpoint server = new RxTransportImpl().open(noDrain);
                RawRxSocket raw = RawRxSocket.open()) {
            RxService s = server.listen(SERVICE, 2, (svc, call, id) -> {}, (call, id) -> {});
            int epoch = 0x8000_1234;
            int cid = 0x0000_4000;
            raw.send(
                    server.localAddress(),
                    RawRxSocket.data(
                            epoch,
                            cid,
                            1,
                            1,
                            1,
                            RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_LAST_PACKET,
                            0,
                            0,
                            0,
                            SERVICE,
                            new byte[] {1, 2, 3, 4}));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.stats().get(Counter.CALLS_DEFERRED) == 0 && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(1, server.stats().get(Counter.CALLS_DEFERRED), "kept, nothing charged");

            s.close();
            byte[] answer = raw.receive(Duration.ofSeconds(5));
            assertNotNull(answer, "the kept call was answered");
            RawPacket p = RawPacket.parse(answer);
            assertEquals(RawPacket.TYPE_ABORT, p.type());
            assertEquals(epoch, p.epoch());
            assertEquals(cid, p.cid());
            assertEquals(1, p.callNumber());
            assertEquals(
                    AbortCodes.RX_INVALID_OPERATION,
                    java.nio.ByteBuffer.wrap(p.body()).getInt());
            assertEquals(1, server.stats().get(Counter.DEFERRED_CALLS_ABORTED));
            assertEquals(0, server.stats().get(Counter.BUSY_SENT));
        }
    }

    @Test
    void aUserSocketServiceBecomesVisibleOnlyOnceItsBacklogIsCharged() throws Exception {
        Endpoint server = (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seenUncharged = new AtomicInteger();
        AtomicInteger sightings = new AtomicInteger();
        Thread watcher = new Thread(() -> {
            Listener last = null;
            while (!stop.get()) {
                Listener l = server.listener(SERVICE); // what the I/O thread would find
                if (l != null && l != last) {
                    last = l;
                    sightings.incrementAndGet();
                    // A closing service is drained before it is unregistered: that is not what we look for.
                    if (l.backlog.calls.count() < l.backlogMax && !l.isClosed()) seenUncharged.incrementAndGet();
                }
            }
        });
        watcher.start();
        try {
            for (int i = 0; i < 500; i++) {
                RxUserService s = server.listenUser(SERVICE, 32, true);
                s.close();
            }
        } finally {
            stop.set(true);
            watcher.join();
            server.close();
        }
        assertTrue(sightings.get() > 0, "the watcher saw the service at least once");
        assertEquals(0, seenUncharged.get(), "seen before its backlog was charged, in " + sightings + " sightings");
    }

    @Test
    void theConnectionTableStaysWithinItsCapByEvictingTheLeastRecentlyUsedIdleConnection() throws Exception {
        int cap = 32;
        EndpointOptions capped = EndpointOptions.defaults().toBuilder()
                .maxConnections(cap)
                .maxPeers(cap)
                .build();
        Endpoint server = (Endpoint) new RxTransportImpl().open(capped);
        RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
        BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        try {
            RxService s = server.listen(SERVICE, 4, (svc, call, id) -> live.add(call), (call, id) -> {});
            for (int i = 0; i < 4 * cap; i++) {
                s.charge(i, (c, id) -> {}, null);
                RxCall c = client.newCall(
                        server.localAddress(), SERVICE, CallOptions.DEFAULT.withNewConnection(true), null);
                c.send(java.nio.ByteBuffer.wrap(new byte[] {(byte) i}), true);
                RxCall served = live.poll(10, TimeUnit.SECONDS);
                assertNotNull(served, "call " + i);
                TestCalls.echo(served);
                served.close();
                assertArrayEquals(new byte[] {(byte) i}, TestCalls.readAll(c, 10));
                c.close();
                assertTrue(server.serverConnections() <= cap, "connections " + server.serverConnections());
            }
            assertEquals(4 * cap, server.stats().get(Counter.CALLS_MADE_LIVE));
            assertTrue(server.stats().get(Counter.CONNECTIONS_EVICTED) >= 3 * cap - 1);
            assertEquals(0, server.stats().get(Counter.NEW_CALLS_REFUSED_TABLES_FULL));
            assertEquals(0, server.stats().get(Counter.BUSY_SENT));
        } finally {
            client.close();
            server.close();
        }
    }

    @Test
    void aFullTableOfConnectionsInUseRefusesANewCallWithBusy() throws Exception {
        EndpointOptions capped = EndpointOptions.defaults().toBuilder()
                .maxConnections(16)
                .newCallDeferMillis(0)
                .build();
        Endpoint server = (Endpoint) new RxTransportImpl().open(capped);
        try (RawRxSocket raw = RawRxSocket.open()) {
            RxService s = server.listen(SERVICE, 32, (svc, call, id) -> {}, (call, id) -> {});
            for (int i = 0; i < 17; i++) s.charge(i, (c, id) -> {}, null);
            // 17 half-open calls, each on a connection of its own: the 17th finds the table full.
            for (int i = 0; i < 17; i++) {
                raw.send(
                        server.localAddress(),
                        RawRxSocket.data(
                                0x8000_0001,
                                (i + 1) << 2,
                                1,
                                1,
                                1,
                                RawPacket.FLAG_CLIENT_INITIATED,
                                0,
                                0,
                                0,
                                SERVICE,
                                new byte[] {1}));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.stats().get(Counter.BUSY_SENT) == 0 && System.nanoTime() < deadline) Thread.sleep(2);
            assertEquals(16, server.stats().get(Counter.CALLS_MADE_LIVE));
            assertEquals(1, server.stats().get(Counter.NEW_CALLS_REFUSED_TABLES_FULL));
            assertEquals(1, server.stats().get(Counter.BUSY_SENT));
            assertEquals(16, server.serverConnections());
        } finally {
            server.close();
        }
    }
}
