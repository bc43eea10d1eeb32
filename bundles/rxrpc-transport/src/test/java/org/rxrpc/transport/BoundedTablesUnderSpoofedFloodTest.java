package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * What a spoofed-source flood looks like: 100,000 distinct sources (addresses of 127/8, all loopback),
 * each sending one complete call and never a packet more. The peer and connection tables stay under their
 * caps (the least recently used idle entries go first), the I/O thread's allocation and the heap stay flat,
 * and a well-behaved client is served throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BoundedTablesUnderSpoofedFloodTest {
    private static final int SOURCES = 100_000;
    private static final int CAP = 1024;

    @Test
    void peersAndConnectionsStayUnderTheirCapsAndAGoodClientIsServed() throws Exception {
        EndpointOptions options = EndpointOptions.builder()
                .maxPeers(CAP)
                .maxConnections(CAP)
                .deadTimeMillis(200) // the flood never sends its final ACK: its calls end soon
                .build();
        Endpoint server = (Endpoint) new RxTransportImpl().open(options);
        try (RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                // 32 handler slots: each keeps up to 80 KiB once used (its inline request buffer, its
                // thread's scratch), so 256 would let the heap figure move by 20 MiB with what the flood
                // happened to touch, hiding the tables it is here to watch.
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 32, 32, "rxperf", new RxperfHandler(false))) {
            RxperfClient good =
                    new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT.withHardTimeoutMillis(20_000));
            good.call(Rxperf.OP_RPC, 100, 100, true); // warm
            long heapBefore = usedHeap();
            RxStats before = server.stats();
            byte[] request = ByteBuffer.allocate(24)
                    .putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_RPC)
                    .putInt(65536)
                    .putInt(65536)
                    .putInt(4)
                    .putInt(4)
                    .array();
            int maxPeers = 0;
            int maxConns = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < SOURCES; i++) {
                // 127.1.0.1 upwards: every source address a different one of 127/8.
                int ip = 0x7F010001 + i;
                InetAddress from = InetAddress.getByAddress(
                        new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
                    byte[] d = RawRxSocket.data(
                            0x8000_0000 | i,
                            4,
                            1,
                            1,
                            1,
                            RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_LAST_PACKET,
                            0,
                            0,
                            0,
                            Rxperf.SERVICE_ID,
                            request);
                    s.send(new DatagramPacket(d, d.length, server.localAddress()));
                }
                if (i % 10_000 == 9_999) {
                    maxPeers = Math.max(maxPeers, server.peerCount());
                    maxConns = Math.max(maxConns, server.serverConnections());
                    good.call(Rxperf.OP_RPC, 100, 100, true); // served while the flood goes on
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(500);
            maxPeers = Math.max(maxPeers, server.peerCount());
            maxConns = Math.max(maxConns, server.serverConnections());
            good.call(Rxperf.OP_RPC, 100, 100, true);
            // The flood's calls end by the dead timeout; what is retained is measured once they have.
            long liveWait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.liveCallCount() > 0 && System.nanoTime() < liveWait) {
                Thread.sleep(50);
            }
            int liveAfter = server.liveCallCount();
            long heapAfter = usedHeap();
            RxStats after = server.stats();
            long allocated =
                    after.get(Counter.IO_THREAD_ALLOCATED_BYTES) - before.get(Counter.IO_THREAD_ALLOCATED_BYTES);
            long flood = after.get(Counter.DATAGRAMS_RECEIVED) - before.get(Counter.DATAGRAMS_RECEIVED);
            String report = String.format(
                    "%d sources in %.1f s: peers at most %d, connections at most %d (caps %d); made live %d,"
                            + " BUSY %d, peers evicted %d, connections evicted %d; I/O thread allocated %d bytes"
                            + " for %d datagrams; heap %d -> %d KiB; live calls after %d",
                    SOURCES,
                    seconds,
                    maxPeers,
                    maxConns,
                    CAP,
                    after.get(Counter.CALLS_MADE_LIVE) - before.get(Counter.CALLS_MADE_LIVE),
                    after.get(Counter.BUSY_SENT) - before.get(Counter.BUSY_SENT),
                    after.get(Counter.PEERS_EVICTED),
                    after.get(Counter.CONNECTIONS_EVICTED),
                    allocated,
                    flood,
                    heapBefore >> 10,
                    heapAfter >> 10,
                    liveAfter);
            System.out.println(report);
            assertTrue(maxPeers <= CAP && maxConns <= CAP, report);
            assertTrue(after.get(Counter.PEERS_EVICTED) > 0 && after.get(Counter.CONNECTIONS_EVICTED) > 0, report);
            assertTrue(allocated < 64 * 1024, "the I/O thread allocated: " + report);
            assertTrue(heapAfter - heapBefore < 8L << 20, "heap: " + report); // unbounded tables: ~30 MiB
        } finally {
            server.close();
        }
    }

    /** Heap in use after collections have settled (a single System.gc() can leave work for the next). */
    private static long usedHeap() throws InterruptedException {
        Runtime r = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }
}
