package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;

/** RawPacket reads what README-annotated.txt says the captured datagrams contain. */
class RawPacketParsesCapturedHeadersAndBodiesTest {

    @Test
    void parsesEveryHeaderFieldOfTheRequestInCaptureA() {
        RawPacket p = RawPacket.parse(Captures.udp(Captures.A_SINGLE_RPC).get(0).payload());

        assertEquals(0xb861101a, p.epoch());
        assertEquals(0x8a2a1cc8, p.cid());
        assertEquals(0, p.channel());
        assertEquals(1, p.callNumber());
        assertEquals(1, p.seq());
        assertEquals(1, p.serial());
        assertEquals(RawPacket.TYPE_DATA, p.type());
        assertEquals(0x05, p.flags());
        assertTrue(p.isClientInitiated());
        assertTrue(p.hasFlags(RawPacket.FLAG_LAST_PACKET));
        assertFalse(p.hasFlags(RawPacket.FLAG_REQUEST_ACK), "OpenAFS sent no REQUEST_ACK on a one-packet call");
        assertEquals(0, p.userStatus());
        assertEquals(0, p.securityIndex());
        assertEquals(0, p.checksum());
        assertEquals(147, p.serviceId());
        assertEquals(28, p.body().length);
    }

    @Test
    void parsesTheDelayAckThatEndsEachCall() {
        RawPacket p = RawPacket.parse(Captures.udp(Captures.A_SINGLE_RPC).get(2).payload());
        RawPacket.Ack ack = p.ack();

        assertEquals(0x21, p.flags());
        assertEquals(0, p.seq());
        assertEquals(2, p.serial());
        assertEquals(0, ack.bufferSpace());
        assertEquals(0, ack.maxSkew());
        assertEquals(2, ack.firstPacket());
        assertEquals(1, ack.previousPacket());
        assertEquals(0, ack.serial());
        assertEquals(RawPacket.ACK_DELAY, ack.reason());
        assertEquals(0, ack.nAcks());
        assertArrayEquals(new int[] {5692, 1444, 32, 4}, ack.trailer());
        assertEquals(5692, ack.maxMtu());
        assertEquals(1444, ack.ifMtu());
        assertEquals(32, ack.rwind());
        assertEquals(4, ack.jumboMax());
    }

    @Test
    void parsesSoftAcksAndAMissingTrailer() {
        byte[] body = RawRxSocket.ackBody(11, 13, 13, RawPacket.ACK_IDLE, new byte[] {1, 0, 1});
        byte[] datagram =
                RawRxSocket.packet(RawRxSocket.header(1, 4, 1, 0, 8, RawPacket.TYPE_ACK, 0x20, 0, 0, 0, 147), body);

        RawPacket.Ack ack = RawPacket.parse(datagram).ack();

        assertEquals(3, ack.nAcks());
        assertTrue(ack.isAcked(0));
        assertFalse(ack.isAcked(1));
        assertTrue(ack.isAcked(2));
        assertEquals(0, ack.trailer().length);
        assertThrows(IllegalStateException.class, ack::rwind);
    }

    @Test
    void readsTheAbortCodeAndTheRawAbortQuirkOfCaptureD() {
        List<UdpDatagram> d = Captures.udp(Captures.D_CMDEBUG);
        for (int i = 1; i < d.size(); i += 2) {
            RawPacket abort = RawPacket.parse(d.get(i).payload());

            assertEquals(RawPacket.TYPE_ABORT, abort.type());
            assertEquals(-2, abort.abortCode(), "RX_INVALID_OPERATION");
            assertEquals(1, abort.checksum(), "serviceId 1 written into the spare slot");
            assertEquals(0, abort.serviceId());
            assertEquals((i + 1) / 2, abort.callNumber());
            assertFalse(abort.isClientInitiated());
        }
    }

    @Test
    void separatesChannelFromConnectionIdForConsecutiveConnections() {
        List<UdpDatagram> c = Captures.udp(Captures.C_NEWCONN_TWO);
        RawPacket first = RawPacket.parse(c.get(0).payload());
        RawPacket second = RawPacket.parse(c.get(3).payload());

        assertEquals(0x9e24b480, first.connectionId());
        assertEquals(0x9e24b484, second.connectionId());
        assertEquals(0, second.channel());
        assertEquals(
                3,
                RawPacket.parse(RawRxSocket.header(0, 0x9e24b487, 0, 0, 0, 1, 0, 0, 0, 0, 0))
                        .channel());
    }

    @Test
    void roundTripsEveryCapturedDatagram() {
        for (String capture : List.of(
                Captures.A_SINGLE_RPC,
                Captures.B_THREE_RPCS,
                Captures.C_NEWCONN_TWO,
                Captures.D_CMDEBUG,
                Captures.E_RXDEBUG,
                Captures.H_IDLE_CONN_70S)) {
            for (UdpDatagram d : Captures.udp(capture)) {
                assertArrayEquals(d.payload(), RawPacket.parse(d.payload()).toBytes(), capture);
            }
        }
    }

    @Test
    void refusesDatagramsShorterThanTheHeaderAndBodiesOfTheWrongType() {
        assertThrows(IllegalArgumentException.class, () -> RawPacket.parse(new byte[27]));
        RawPacket data =
                RawPacket.parse(Captures.udp(Captures.A_SINGLE_RPC).get(0).payload());
        assertThrows(IllegalStateException.class, data::ack);
        assertThrows(IllegalStateException.class, data::abortCode);
        byte[] truncatedAck = HexFormat.of().parseHex("0000000000000002000000010000000008" + "05" + "0101");
        assertThrows(IllegalArgumentException.class, () -> RawPacket.Ack.parse(truncatedAck));
    }
}
