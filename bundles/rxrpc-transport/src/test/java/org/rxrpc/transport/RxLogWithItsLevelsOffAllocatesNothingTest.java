package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Header;

/**
 * The transport's log lines cost nothing when their level is off: a hundred thousand of each, from the
 * call sites' own objects, allocate not one byte (slf4j-simple at its default level, INFO, as in the tests;
 * the dead-peer WARN, which is on, is said once a minute per peer and returns at once in between).
 */
class RxLogWithItsLevelsOffAllocatesNothingTest {

    @Test
    void everyLogLineAllocatesNothingWhenItsLevelIsOff() {
        assertFalse(RxLog.CALLS.isDebugEnabled(), "the test's slf4j-simple logs INFO and above");
        assertFalse(RxLog.PACKETS.isTraceEnabled());
        assertTrue(RxLog.PEERS.isWarnEnabled());
        Peer peer = new Peer();
        UdpAddress address = new UdpAddress();
        address.set(new InetSocketAddress("127.0.0.1", 7009));
        peer.init(address, System.nanoTime());
        Connection conn = new Connection();
        conn.initServer(peer, 0x80001234, 0x4000, 147, 0, System.nanoTime());
        Call call = new Call(null, false, 147, null, CallOptions.DEFAULT);
        call.conn = conn;
        call.started = true;
        ByteBuffer packet = ByteBuffer.allocate(64);
        Header h = new Header().wrap(packet, 0);
        long now = System.nanoTime();
        RxLog.peerDead(call, now, 20_000); // said once; quiet for a minute after

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 3; round++) { // warm up, then measure
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                RxLog.clientCallStarted(call);
                RxLog.serverCallLive(call);
                RxLog.callEnded(call, CallState.SUCCEEDED, 0);
                RxLog.connectionCreated(conn);
                RxLog.connectionRemoved(conn, 1_000_000_000L);
                RxLog.packetIn(h, 64, address);
                RxLog.packetOut(packet, 64, address);
                RxLog.peerDead(call, now + i, 20_000);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) assertEquals(0, allocated, "bytes allocated by 800,000 log calls with their levels off");
        }
    }
}
