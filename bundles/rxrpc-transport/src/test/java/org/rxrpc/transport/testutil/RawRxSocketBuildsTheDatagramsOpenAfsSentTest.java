package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rxrpc.transport.testutil.RawPacket.ACK_DELAY;
import static org.rxrpc.transport.testutil.RawPacket.FLAG_CLIENT_INITIATED;
import static org.rxrpc.transport.testutil.RawPacket.FLAG_LAST_PACKET;
import static org.rxrpc.transport.testutil.RawPacket.FLAG_SLOW_START_OK;
import static org.rxrpc.transport.testutil.RawPacket.TYPE_ABORT;
import static org.rxrpc.transport.testutil.RawPacket.TYPE_ACK;
import static org.rxrpc.transport.testutil.RawPacket.TYPE_VERSION;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;

/** The builders reproduce, byte for byte, datagrams the real OpenAFS library put on the wire. */
class RawRxSocketBuildsTheDatagramsOpenAfsSentTest {

    private static final int EPOCH_A = 0xb861101a;
    private static final int CID_A = 0x8a2a1cc8;
    private static final int SERVICE_RXPERF = 147;

    private final List<UdpDatagram> a = Captures.udp(Captures.A_SINGLE_RPC);

    @Test
    void dataBuilderReproducesTheRequestOfCaptureA() {
        // rxperf request: version 3, type RPC, rsize, wsize, request and reply byte counts, 4 request bytes.
        byte[] request = HexFormat.of().parseHex("00000003000000030001000000010000000000040000000400000000");

        byte[] built = RawRxSocket.data(
                EPOCH_A, CID_A, 1, 1, 1, FLAG_CLIENT_INITIATED | FLAG_LAST_PACKET, 0, 0, 0, SERVICE_RXPERF, request);

        assertArrayEquals(a.get(0).payload(), built);
    }

    @Test
    void dataBuilderReproducesTheReplyOfCaptureA() {
        byte[] built = RawRxSocket.data(
                EPOCH_A,
                CID_A,
                1,
                1,
                1,
                FLAG_LAST_PACKET,
                0,
                0,
                0,
                SERVICE_RXPERF,
                HexFormat.of().parseHex("0000000000004711"));

        assertArrayEquals(a.get(1).payload(), built);
    }

    @Test
    void headerAndAckBodyReproduceTheFinalAckOfCaptureA() {
        byte[] header = RawRxSocket.header(
                EPOCH_A, CID_A, 1, 0, 2, TYPE_ACK, FLAG_CLIENT_INITIATED | FLAG_SLOW_START_OK, 0, 0, 0, SERVICE_RXPERF);
        byte[] body = RawRxSocket.ackBody(2, 1, 0, ACK_DELAY, new byte[0], 5692, 1444, 32, 4);

        assertEquals(28, header.length);
        assertArrayEquals(a.get(2).payload(), RawRxSocket.packet(header, body));
    }

    @Test
    void headerAndAbortBodyReproduceTheRawAbortOfCaptureD() {
        // rxi_SendRawAbort's quirk (rx-protocol.md §1): serviceId lands in the checksum slot, serviceId is 0.
        byte[] header = RawRxSocket.header(0xb5bea547, 0x5895058c, 1, 0, 0, TYPE_ABORT, 0, 0, 0, 1, 0);

        byte[] built = RawRxSocket.packet(header, RawRxSocket.abortBody(-2));

        assertArrayEquals(Captures.udp(Captures.D_CMDEBUG).get(1).payload(), built);
    }

    @Test
    void headerReproducesTheVersionRequestOfRxdebug() {
        byte[] header = RawRxSocket.header(
                999, 0, 101, 0, 0, TYPE_VERSION, FLAG_CLIENT_INITIATED | FLAG_LAST_PACKET, 0, 0, 0, 0);

        assertArrayEquals(Captures.udp(Captures.E_RXDEBUG).get(0).payload(), RawRxSocket.packet(header, new byte[1]));
    }

    @Test
    void ackBodyWithAcksAndNoTrailerHasOnlyTheFixedPartAndTheAcks() {
        byte[] body = RawRxSocket.ackBody(5, 7, 9, RawPacket.ACK_IDLE, new byte[] {0, 1, 1});

        assertArrayEquals(
                HexFormat.of().parseHex("00000000" + "00000005" + "00000007" + "00000009" + "09" + "03" + "000101"),
                body);
    }

    @Test
    void buildersRejectFieldsThatDoNotFitTheirWireWidth() {
        assertThrows(IllegalArgumentException.class, () -> RawRxSocket.header(0, 0, 0, 0, 0, 256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RawRxSocket.header(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> RawRxSocket.ackBody(0, 0, 0, 1, new byte[256]));
    }
}
