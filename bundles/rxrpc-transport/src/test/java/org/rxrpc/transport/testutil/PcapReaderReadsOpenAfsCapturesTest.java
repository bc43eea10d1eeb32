package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;

/** The facts from README-annotated.txt of the OpenAFS captures, as PcapReader sees them. */
class PcapReaderReadsOpenAfsCapturesTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void captureAIsOneSmallRpcOfThreeDatagrams() {
        List<UdpDatagram> a = Captures.udp(Captures.A_SINGLE_RPC);

        assertEquals(List.of(56, 36, 65), sizes(a));
        assertEquals(new InetSocketAddress(LOOPBACK, 57121), a.get(0).source());
        assertEquals(new InetSocketAddress(LOOPBACK, 7009), a.get(0).destination());
        assertEquals(a.get(0).source(), a.get(1).destination(), "the reply goes back to the client's port");
        assertEquals(a.get(0).source(), a.get(2).source());
        // The request DATA packet, byte for byte as tcpdump showed it.
        assertArrayEquals(
                HexFormat.of()
                        .parseHex("b861101a8a2a1cc8000000010000000100000001010500000000009300000003"
                                + "000000030001000000010000000000040000000400000000"),
                a.get(0).payload());
    }

    @Test
    void timestampsAreCaptureTimesInSecondsWithMicrosecondPrecision() {
        List<UdpDatagram> a = Captures.udp(Captures.A_SINGLE_RPC);
        double t0 = a.get(0).timeSeconds();

        // tcpdump printed 23:19:56.160443 in some time zone; seconds and fraction do not depend on it.
        assertEquals(56, (long) t0 % 60);
        assertEquals(0.160443, t0 - Math.floor(t0), 1e-6);
        assertEquals(0.000264, a.get(1).timeSeconds() - t0, 2e-6);
        assertEquals(0.000335, a.get(2).timeSeconds() - t0, 2e-6);
    }

    @Test
    void captureBRunsThreeCallsOverOneClientPort() {
        List<UdpDatagram> b = Captures.udp(Captures.B_THREE_RPCS);

        assertEquals(List.of(56, 36, 65, 56, 36, 65, 56, 36, 65), sizes(b));
        for (UdpDatagram d : b) {
            assertTrue(
                    d.source().getPort() == 34220 && d.destination().getPort() == 7009
                            || d.source().getPort() == 7009 && d.destination().getPort() == 34220,
                    d::toString);
        }
    }

    @Test
    void captureCUsesTheSameSourcePortForTwoConnections() {
        List<UdpDatagram> c = Captures.udp(Captures.C_NEWCONN_TWO);

        assertEquals(List.of(56, 36, 65, 56, 36, 65), sizes(c));
        assertEquals(44715, c.get(0).source().getPort());
        assertEquals(44715, c.get(3).source().getPort());
    }

    @Test
    void captureDAnswersEachCmdebugCallWithA32ByteAbort() {
        List<UdpDatagram> d = Captures.udp(Captures.D_CMDEBUG);

        assertEquals(List.of(36, 32, 36, 32, 36, 32), sizes(d));
        assertArrayEquals(
                HexFormat.of().parseHex("b5bea5475895058c0000000100000000000000000400000000010000fffffffe"),
                d.get(1).payload());
        assertEquals(51386, d.get(0).source().getPort());
    }

    @Test
    void captureEShowsRxdebugUsingAFreshPortPerInvocation() {
        List<UdpDatagram> e = Captures.udp(Captures.E_RXDEBUG);

        assertEquals(List.of(29, 93, 36, 84, 36, 312), sizes(e));
        assertEquals(45040, e.get(0).source().getPort());
        assertEquals(45981, e.get(2).source().getPort());
        assertEquals(45981, e.get(4).source().getPort());
        String version = new String(e.get(1).payload(), 28, 65, StandardCharsets.US_ASCII);
        assertTrue(version.startsWith("OpenAFS 1.8.9-1+deb12u1-debian 2024-12-25"), version);
    }

    @Test
    void captureHHasOnlyTheThreeDatagramsOfOneRpc() {
        List<UdpDatagram> h = Captures.udp(Captures.H_IDLE_CONN_70S);

        assertEquals(List.of(56, 36, 65), sizes(h));
        assertEquals(46807, h.get(0).source().getPort());
    }

    /**
     * The 1 MiB capture, kept gzipped in the test resources (20 KB instead of 1.1 MB: its payload is the
     * rxperf pattern). Packet counts are those rxdecode.py printed.
     */
    @Test
    void largeCaptureFMatchesTheReferenceDecodersPacketCounts() {
        List<UdpDatagram> f = Captures.udpGzipped(Captures.F_SEND_1MIB_GZ);

        Map<String, Integer> counts = new TreeMap<>();
        for (UdpDatagram d : f) {
            RawPacket p = RawPacket.parse(d.payload());
            String key = (d.destination().getPort() == 7009 ? "C->S " : "S->C ")
                    + (p.type() == RawPacket.TYPE_DATA ? "DATA" : p.type() == RawPacket.TYPE_ACK ? "ACK" : "other");
            counts.merge(key, 1, Integer::sum);
        }
        assertEquals(635, f.size());
        assertEquals(Map.of("C->S ACK", 1, "C->S DATA", 213, "S->C ACK", 420, "S->C DATA", 1), counts);
        assertEquals(5688, f.get(46).payload().length, "#47 is a jumbogram of 4 packets");
    }

    private static List<Integer> sizes(List<UdpDatagram> datagrams) {
        return datagrams.stream().map(d -> d.payload().length).toList();
    }
}
