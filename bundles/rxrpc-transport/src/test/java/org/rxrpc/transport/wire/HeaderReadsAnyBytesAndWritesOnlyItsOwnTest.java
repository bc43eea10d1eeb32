package org.rxrpc.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.between;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.bytesBetween;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.bytesOf;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rxrpc.transport.testutil.RandomRxDatagrams;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.SeededTries;

/**
 * The 28-byte header flyweight ({@link Header}) against the test's own reading of the wire format
 * ({@link RawPacket}), over seeded random cases: any bytes read back as their big-endian fields, in range;
 * any fields written at any offset read back unchanged and touch no byte outside the header;
 * {@code copyFrom} copies exactly the header.
 */
class HeaderReadsAnyBytesAndWritesOnlyItsOwnTest {
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = SeededTries.seed("header flyweight properties");
    }

    @Test
    void anyTwentyEightBytesReadAsTheirFieldsInRange() {
        SeededTries.run(seed, 1, 2000, r -> {
            byte[] bytes = bytesBetween(r, 28, 64);
            int offset = Math.min(between(r, 0, 36), bytes.length - Wire.HEADER_SIZE);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            Header h = new Header().wrap(b, offset);
            RawPacket p = RawPacket.parse(Arrays.copyOfRange(bytes, offset, bytes.length));
            assertEquals(p.epoch(), h.epoch());
            assertEquals(p.cid(), h.cid());
            assertEquals(p.callNumber(), h.callNumber());
            assertEquals(p.seq(), h.seq());
            assertEquals(p.serial(), h.serial());
            assertEquals(p.type(), h.type());
            assertEquals(p.flags(), h.flags());
            assertEquals(p.userStatus(), h.userStatus());
            assertEquals(p.securityIndex(), h.securityIndex());
            assertEquals(p.checksum(), h.checksum());
            assertEquals(p.serviceId(), h.serviceId());
            assertEquals(p.channel(), h.channel());
            assertEquals(p.isClientInitiated(), h.isClientInitiated());
            assertTrue(h.type() <= 0xff && h.flags() <= 0xff && h.userStatus() <= 0xff && h.securityIndex() <= 0xff);
            assertTrue(h.checksum() <= 0xffff && h.serviceId() <= 0xffff && h.channel() <= 3);
            assertTrue(h.type() >= 0 && h.checksum() >= 0 && h.serviceId() >= 0 && h.channel() >= 0);
        });
    }

    @Test
    void fieldsWrittenAtAnyOffsetReadBackAndTouchNothingElse() {
        SeededTries.run(seed, 2, 2000, r -> {
            RawPacket p = RandomRxDatagrams.header(r, 2000);
            int offset = between(r, 0, 20);
            byte[] background = bytesOf(r, 60);
            byte[] bytes = background.clone();
            ByteBuffer b = ByteBuffer.wrap(bytes);
            new Header()
                    .wrap(b, offset)
                    .epoch(p.epoch())
                    .cid(p.cid())
                    .callNumber(p.callNumber())
                    .seq(p.seq())
                    .serial(p.serial())
                    .type(p.type())
                    .flags(p.flags())
                    .userStatus(p.userStatus())
                    .securityIndex(p.securityIndex())
                    .checksum(p.checksum())
                    .serviceId(p.serviceId());
            assertArrayEquals(p.toBytes(), Arrays.copyOfRange(bytes, offset, offset + Wire.HEADER_SIZE));
            assertArrayEquals(Arrays.copyOfRange(background, 0, offset), Arrays.copyOfRange(bytes, 0, offset));
            assertArrayEquals(
                    Arrays.copyOfRange(background, offset + Wire.HEADER_SIZE, background.length),
                    Arrays.copyOfRange(bytes, offset + Wire.HEADER_SIZE, bytes.length));
        });
    }

    @Test
    void copyFromCopiesExactlyTheHeader() {
        SeededTries.run(seed, 3, 1000, r -> {
            RawPacket p = RandomRxDatagrams.header(r, 2000);
            int from = between(r, 0, 12);
            int to = between(r, 0, 12);
            byte[] background = bytesOf(r, 48);
            byte[] source = new byte[48];
            System.arraycopy(p.toBytes(), 0, source, from, Wire.HEADER_SIZE);
            byte[] target = background.clone();
            new Header().wrap(ByteBuffer.wrap(target), to).copyFrom(new Header().wrap(ByteBuffer.wrap(source), from));
            assertArrayEquals(p.toBytes(), Arrays.copyOfRange(target, to, to + Wire.HEADER_SIZE));
            assertArrayEquals(Arrays.copyOfRange(background, 0, to), Arrays.copyOfRange(target, 0, to));
            assertArrayEquals(
                    Arrays.copyOfRange(background, to + Wire.HEADER_SIZE, 48),
                    Arrays.copyOfRange(target, to + Wire.HEADER_SIZE, 48));
        });
    }
}
