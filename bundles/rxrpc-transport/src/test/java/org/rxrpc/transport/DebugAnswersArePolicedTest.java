package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointOptions.DebugAnswers;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * rxdebug's answers cannot be turned into a reflector: DEBUG only to local networks by default (or all,
 * or none), VERSION to everyone, and each source at most a few answers a second.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DebugAnswersArePolicedTest {

    private static byte[] debugRequest(int type) {
        return RawRxSocket.packet(
                RawRxSocket.header(0, 0, 0, 0, 0, RawPacket.TYPE_DEBUG, RawPacket.FLAG_CLIENT_INITIATED, 0, 0, 0, 0),
                ByteBuffer.allocate(8).putInt(type).putInt(0).array());
    }

    private static byte[] versionRequest() {
        return RawRxSocket.packet(
                RawRxSocket.header(0, 0, 0, 0, 0, RawPacket.TYPE_VERSION, RawPacket.FLAG_CLIENT_INITIATED, 0, 0, 0, 0),
                new byte[] {0});
    }

    @Test
    void aLoopbackSourceIsAnsweredByDefaultButAtMostTenTimesInABurst() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RawRxSocket raw = RawRxSocket.open()) {
            for (int i = 0; i < 50; i++) raw.send(server.localAddress(), debugRequest(DebugReplies.RXSTATS));
            long burst = System.nanoTime();
            List<byte[]> answers = raw.receiveAll(Duration.ofMillis(300));
            assertTrue(
                    answers.size() >= 10 && answers.size() <= 11, answers.size() + ": a burst gets the bucket's worth");
            assertTrue(server.stats().get(Counter.DEBUG_REQUESTS_REFUSED) >= 39);
            Thread.sleep(300);
            for (int i = 0; i < 20; i++) raw.send(server.localAddress(), debugRequest(DebugReplies.GETSTATS));
            double seconds = (System.nanoTime() - burst) / 1e9;
            int more = raw.receiveAll(Duration.ofMillis(300)).size();
            // Ten a second came back meanwhile, no more.
            assertTrue(more >= 1 && more <= Math.ceil(seconds * 10) + 1, more + " answers after " + seconds + " s");
        }
    }

    @Test
    void withNoneDebugIsRefusedAndVersionStillAnswered() throws Exception {
        EndpointOptions none =
                EndpointOptions.builder().debugAnswers(DebugAnswers.NONE).build();
        try (RxEndpoint server = new RxTransportImpl().open(none);
                RawRxSocket raw = RawRxSocket.open()) {
            raw.send(server.localAddress(), debugRequest(DebugReplies.GETSTATS));
            assertNull(raw.receive(Duration.ofMillis(300)));
            raw.send(server.localAddress(), versionRequest());
            byte[] v = raw.receive(Duration.ofSeconds(5));
            assertNotNull(v);
            assertEquals(RawPacket.TYPE_VERSION, RawPacket.parse(v).type());
            assertEquals(1, server.stats().get(Counter.DEBUG_REQUESTS_REFUSED));
        }
    }

    @Test
    void localMeansLoopbackLinkLocalAndPrivateNetworks() {
        assertTrue(local(127, 0, 0, 1));
        assertTrue(local(10, 1, 2, 3));
        assertTrue(local(172, 16, 0, 1));
        assertTrue(local(172, 31, 255, 1));
        assertTrue(local(192, 168, 1, 1));
        assertTrue(local(169, 254, 3, 4));
        assertFalse(local(172, 32, 0, 1));
        assertFalse(local(8, 8, 8, 8));
        assertFalse(local(192, 169, 0, 1));
        assertTrue(local6("::1"));
        assertTrue(local6("fe80::1"));
        assertTrue(local6("fd12:3456::1"));
        assertFalse(local6("2001:db8::1"));
        assertFalse(local6("::2"));
    }

    private static boolean local(int a, int b, int c, int d) {
        UdpAddress u = new UdpAddress();
        u.setV4(a << 24 | b << 16 | c << 8 | d, 7000);
        return DebugPolicy.isLocal(u);
    }

    private static boolean local6(String ip) {
        UdpAddress u = new UdpAddress();
        try {
            u.setV6(java.net.InetAddress.getByName(ip).getAddress(), 0, 7000);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
        return DebugPolicy.isLocal(u);
    }
}
