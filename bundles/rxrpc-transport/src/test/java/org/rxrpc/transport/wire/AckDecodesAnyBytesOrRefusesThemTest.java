package org.rxrpc.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.between;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.bytesBetween;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.RandomRxDatagrams;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.SeededTries;

/**
 * The ACK body and trailer ({@link Ack}), over seeded random cases: encode then decode gives every field
 * back; decoding any byte string, in a buffer of exactly its length (so a read past its end throws),
 * either refuses it (too short for the fixed part or for the soft-ACK array it announces) or gives the
 * fields the test's own parser ({@link RawPacket.Ack}) reads, with the soft-ACK array inside the body and
 * each trailer word either present or -1.
 */
class AckDecodesAnyBytesOrRefusesThemTest {
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = SeededTries.seed("ACK body properties");
    }

    @Test
    void encodeThenDecodeGivesEveryFieldBack() {
        SeededTries.run(seed, 1, 2000, r -> {
            int firstPacket = r.nextInt();
            int previousPacket = r.nextInt();
            int serial = r.nextInt();
            int reason = between(r, 0, 255);
            byte[] softAcks = bytesBetween(r, 0, 255);
            int maxMtu = r.nextInt();
            int ifMtu = r.nextInt();
            int rwind = r.nextInt();
            int jumboMax = r.nextInt();
            int offset = between(r, 0, 40);
            int n = softAcks.length;
            ByteBuffer b = ByteBuffer.allocate(offset + Wire.ACK_FIXED_SIZE + n + Wire.ACK_TRAILER_SIZE);
            int length = Ack.encode(
                    b,
                    offset,
                    firstPacket,
                    previousPacket,
                    serial,
                    reason,
                    softAcks,
                    n,
                    maxMtu,
                    ifMtu,
                    rwind,
                    jumboMax);
            assertEquals(b.capacity() - offset, length, "the body fills exactly its size");
            Ack a = new Ack();
            assertTrue(a.decode(b, offset, length));
            assertEquals(0, a.bufferSpace);
            assertEquals(0, a.maxSkew);
            assertEquals(firstPacket, a.firstPacket);
            assertEquals(previousPacket, a.previousPacket);
            assertEquals(serial, a.serial);
            assertEquals(reason, a.reason);
            assertEquals(n, a.nAcks);
            for (int i = 0; i < n; i++) assertEquals((softAcks[i] & 1) != 0, a.isAcked(b, i), "soft ACK " + i);
            assertEquals(maxMtu, a.maxMtu);
            assertEquals(ifMtu, a.ifMtu);
            assertEquals(rwind, a.rwind);
            assertEquals(jumboMax, a.jumboMax);
            // And what went on the wire is what the protocol says (the test's own parser agrees).
            RawPacket.Ack raw = RawPacket.Ack.parse(Arrays.copyOfRange(b.array(), offset, offset + length));
            assertEquals(firstPacket, raw.firstPacket());
            assertEquals(n, raw.nAcks());
            assertEquals(4, raw.trailer().length);
            assertEquals(jumboMax, raw.jumboMax());
        });
    }

    @Test
    void anyBytesAreRefusedOrDecodedInRange() {
        SeededTries.run(seed, 2, 3000, r -> {
            byte[] body = r.nextBoolean() ? RandomRxDatagrams.ackBody(r) : RandomRxDatagrams.bytes(r, 300);
            ByteBuffer b = ByteBuffer.wrap(body); // exactly the body: a read past it throws
            Ack a = new Ack();
            boolean accepted = a.decode(b, 0, body.length);
            boolean fits = body.length >= Wire.ACK_FIXED_SIZE && body.length >= Wire.ACK_FIXED_SIZE + (body[17] & 0xff);
            assertEquals(fits, accepted, "accepted exactly when the fixed part and the soft-ACK array are there");
            if (!accepted) return;
            RawPacket.Ack raw = RawPacket.Ack.parse(body);
            assertEquals(raw.bufferSpace(), a.bufferSpace);
            assertEquals(raw.maxSkew(), a.maxSkew);
            assertEquals(raw.firstPacket(), a.firstPacket);
            assertEquals(raw.previousPacket(), a.previousPacket);
            assertEquals(raw.serial(), a.serial);
            assertEquals(raw.reason(), a.reason);
            assertEquals(raw.nAcks(), a.nAcks);
            assertTrue(a.reason >= 0 && a.reason <= 255 && a.nAcks >= 0 && a.nAcks <= 255);
            assertTrue(a.acksOffset + a.nAcks <= body.length, "the soft-ACK array lies inside the body");
            for (int i = 0; i < a.nAcks; i++) assertEquals(raw.isAcked(i), a.isAcked(b, i));
            int[] words = {a.maxMtu, a.ifMtu, a.rwind, a.jumboMax};
            for (int i = 0; i < 4; i++) {
                if (i < raw.trailer().length) assertEquals(raw.trailerWord(i), words[i], "trailer word " + i);
                else assertEquals(-1, words[i], "absent trailer word " + i + " reads -1");
            }
        });
    }

    @Test
    void everyCutOfAnAckBodyIsRefusedOrKeepsItsWholeWords() {
        SeededTries.run(seed, 3, 1000, r -> {
            byte[] softAcks = bytesBetween(r, 0, 255);
            int word = r.nextInt();
            int cutWish = between(r, 0, 300);
            int n = softAcks.length;
            ByteBuffer full = ByteBuffer.allocate(Wire.ACK_FIXED_SIZE + n + Wire.ACK_TRAILER_SIZE);
            int length = Ack.encode(full, 0, 1, 1, 1, Wire.ACK_REQUESTED, softAcks, n, word, word, word, word);
            int cut = Math.min(cutWish, length);
            ByteBuffer b = ByteBuffer.wrap(Arrays.copyOf(full.array(), cut));
            Ack a = new Ack();
            if (cut < Wire.ACK_FIXED_SIZE + n) {
                assertFalse(a.decode(b, 0, cut));
                return;
            }
            assertTrue(a.decode(b, 0, cut));
            int wholeWords = Math.max(0, (cut - Wire.ACK_FIXED_SIZE - n - 3) / 4);
            int[] words = {a.maxMtu, a.ifMtu, a.rwind, a.jumboMax};
            for (int i = 0; i < 4; i++) assertEquals(i < wholeWords ? word : -1, words[i], "trailer word " + i);
        });
    }
}
