package org.rxrpc.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.Captures;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;

/** The header and ACK codecs: round trips over random values, and decoding real OpenAFS packets. */
class CodecRoundTripTest {

    @Test
    void headerSurvivesEncodeAndDecodeForRandomFieldValues() {
        Random random = new Random(7);
        ByteBuffer b = ByteBuffer.allocate(Wire.HEADER_SIZE);
        for (int i = 0; i < 10_000; i++) {
            Header h = new Header();
            h.epoch = random.nextInt();
            h.cid = random.nextInt();
            h.callNumber = random.nextInt();
            h.seq = random.nextInt();
            h.serial = random.nextInt();
            h.type = random.nextInt(256);
            h.flags = random.nextInt(256);
            h.userStatus = random.nextInt(256);
            h.securityIndex = random.nextInt(256);
            h.checksum = random.nextInt(65536);
            h.serviceId = random.nextInt(65536);
            h.encode(b, 0);
            Header d = new Header();
            d.decode(b, 0);
            assertEquals(h.toString(), d.toString());
        }
    }

    @Test
    void headerDecodesEveryCapturedOpenAfsPacket() {
        for (String file :
                List.of(Captures.A_SINGLE_RPC, Captures.B_THREE_RPCS, Captures.D_CMDEBUG, Captures.E_RXDEBUG)) {
            for (UdpDatagram d : Captures.udp(file)) {
                ByteBuffer b = ByteBuffer.wrap(d.payload());
                Header h = new Header();
                h.decode(b, 0);
                ByteBuffer again = ByteBuffer.allocate(Wire.HEADER_SIZE);
                h.encode(again, 0);
                assertEquals(ByteBuffer.wrap(d.payload(), 0, Wire.HEADER_SIZE), again.rewind(), file);
            }
        }
    }

    @Test
    void ackOfOpenAfsFinalAckDecodesToTheAnnotatedValues() {
        byte[] ack = Captures.udp(Captures.A_SINGLE_RPC).get(2).payload();
        ByteBuffer b = ByteBuffer.wrap(ack);
        Ack a = new Ack();
        assertTrue(a.decode(b, Wire.HEADER_SIZE, ack.length - Wire.HEADER_SIZE));
        assertEquals(2, a.firstPacket);
        assertEquals(1, a.previousPacket);
        assertEquals(0, a.serial);
        assertEquals(Wire.ACK_DELAY, a.reason);
        assertEquals(0, a.nAcks);
        assertEquals(5692, a.maxMtu);
        assertEquals(1444, a.ifMtu);
        assertEquals(32, a.rwind);
        assertEquals(4, a.jumboMax);
    }

    @Test
    void ackSurvivesEncodeAndDecodeWithSoftAcksAndTrailer() {
        Random random = new Random(11);
        ByteBuffer b = ByteBuffer.allocate(Wire.HEADER_SIZE + Wire.ACK_FIXED_SIZE + 255 + Wire.ACK_TRAILER_SIZE);
        for (int i = 0; i < 2000; i++) {
            int n = random.nextInt(256);
            byte[] acks = new byte[255];
            for (int k = 0; k < n; k++) acks[k] = (byte) random.nextInt(2);
            int first = random.nextInt();
            int len = Ack.encode(
                    b,
                    Wire.HEADER_SIZE,
                    first,
                    first + n,
                    random.nextInt(),
                    1 + random.nextInt(9),
                    acks,
                    n,
                    5692,
                    1444,
                    1 + random.nextInt(255),
                    4);
            assertEquals(Wire.ACK_FIXED_SIZE + n + Wire.ACK_TRAILER_SIZE, len);
            Ack a = new Ack();
            assertTrue(a.decode(b, Wire.HEADER_SIZE, len));
            assertEquals(first, a.firstPacket);
            assertEquals(n, a.nAcks);
            for (int k = 0; k < n; k++) assertEquals(acks[k] == 1, a.isAcked(b, k));
            assertEquals(5692, a.maxMtu);
            assertEquals(4, a.jumboMax);
        }
    }

    @Test
    void ackWithoutTrailerOrTooShortIsHandled() {
        ByteBuffer b = ByteBuffer.allocate(64);
        int len = Ack.encode(b, 0, 1, 0, 0, Wire.ACK_PING, new byte[3], 3, 5692, 1444, 32, 4);
        Ack a = new Ack();
        assertTrue(a.decode(b, 0, Wire.ACK_FIXED_SIZE + 3)); // no trailer at all: OpenAFS 3.3 style
        assertEquals(-1, a.maxMtu);
        assertEquals(-1, a.rwind);
        assertTrue(a.decode(b, 0, Wire.ACK_FIXED_SIZE + 3 + 3 + 8)); // AFS 3.4: two trailer words
        assertEquals(5692, a.maxMtu);
        assertEquals(1444, a.ifMtu);
        assertEquals(-1, a.rwind);
        assertFalse(a.decode(b, 0, Wire.ACK_FIXED_SIZE - 1));
        assertFalse(a.decode(b, 0, Wire.ACK_FIXED_SIZE + 2)); // nAcks 3 but 2 bytes
        assertTrue(len > 0);
    }
}
