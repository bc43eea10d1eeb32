package org.rxrpc.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RxArbitraries;

/**
 * The 28-byte header flyweight ({@link Header}) against the test's own reading of the wire format
 * ({@link RawPacket}): any bytes read back as their big-endian fields, in range; any fields written at
 * any offset read back unchanged and touch no byte outside the header; {@code copyFrom} copies exactly
 * the header.
 */
class HeaderProperties {

    @Property(tries = 2000)
    void anyTwentyEightBytesReadAsTheirFieldsInRange(
            @ForAll @Size(min = 28, max = 64) byte[] bytes, @ForAll @IntRange(max = 36) int offsetWish) {
        int offset = Math.min(offsetWish, bytes.length - Wire.HEADER_SIZE);
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
    }

    @Property(tries = 2000)
    void fieldsWrittenAtAnyOffsetReadBackAndTouchNothingElse(
            @ForAll("headers") RawPacket p,
            @ForAll @IntRange(max = 20) int offset,
            @ForAll @Size(value = 60) byte[] background) {
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
    }

    @Property(tries = 1000)
    void copyFromCopiesExactlyTheHeader(
            @ForAll("headers") RawPacket p,
            @ForAll @IntRange(max = 12) int from,
            @ForAll @IntRange(max = 12) int to,
            @ForAll @Size(value = 48) byte[] background) {
        byte[] source = new byte[48];
        System.arraycopy(p.toBytes(), 0, source, from, Wire.HEADER_SIZE);
        byte[] target = background.clone();
        new Header().wrap(ByteBuffer.wrap(target), to).copyFrom(new Header().wrap(ByteBuffer.wrap(source), from));
        assertArrayEquals(p.toBytes(), Arrays.copyOfRange(target, to, to + Wire.HEADER_SIZE));
        assertArrayEquals(Arrays.copyOfRange(background, 0, to), Arrays.copyOfRange(target, 0, to));
        assertArrayEquals(
                Arrays.copyOfRange(background, to + Wire.HEADER_SIZE, 48),
                Arrays.copyOfRange(target, to + Wire.HEADER_SIZE, 48));
    }

    @Provide
    Arbitrary<RawPacket> headers() {
        return RxArbitraries.header(2000);
    }
}
