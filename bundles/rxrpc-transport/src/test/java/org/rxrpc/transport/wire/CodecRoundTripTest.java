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
    void headerFieldsWrittenThroughTheFlyweightReadBackAtTheirOffsets() {
        Random random = new Random(7);
        ByteBuffer b = ByteBuffer.allocate(Wire.HEADER_SIZE + 8);
        Header w = new Header();
        Header r = new Header();
        for (int i = 0; i < 10_000; i++) {
            int epoch = random.nextInt();
            int cid = random.nextInt();
            int call = random.nextInt();
            int seq = random.nextInt();
            int serial = random.nextInt();
            int type = random.nextInt(256);
            int flags = random.nextInt(256);
            int user = random.nextInt(256);
            int security = random.nextInt(256);
            int checksum = random.nextInt(65536);
            int service = random.nextInt(65536);
            int at = random.nextInt(8);
            w.wrap(b, at)
                    .epoch(epoch)
                    .cid(cid)
                    .callNumber(call)
                    .seq(seq)
                    .serial(serial)
                    .type(type)
                    .flags(flags)
                    .userStatus(user)
                    .securityIndex(security)
                    .checksum(checksum)
                    .serviceId(service);
            r.wrap(b, at);
            assertEquals(epoch, r.epoch());
            assertEquals(cid, r.cid());
            assertEquals(call, r.callNumber());
            assertEquals(seq, r.seq());
            assertEquals(serial, r.serial());
            assertEquals(type, r.type());
            assertEquals(flags, r.flags());
            assertEquals(user, r.userStatus());
            assertEquals(security, r.securityIndex());
            assertEquals(checksum, r.checksum());
            assertEquals(service, r.serviceId());
            assertEquals(epoch, b.getInt(at + Header.EPOCH));
            assertEquals(service, b.getShort(at + Header.SERVICE_ID) & 0xffff);
        }
    }

    @Test
    void everyCapturedOpenAfsHeaderCopiesByteForByte() {
        for (String file :
                List.of(Captures.A_SINGLE_RPC, Captures.B_THREE_RPCS, Captures.D_CMDEBUG, Captures.E_RXDEBUG)) {
            for (UdpDatagram d : Captures.udp(file)) {
                Header h = new Header().wrap(ByteBuffer.wrap(d.payload()), 0);
                ByteBuffer again = ByteBuffer.allocate(Wire.HEADER_SIZE);
                new Header().wrap(again, 0).copyFrom(h);
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
