package org.rxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The wire form of every primitive, byte for byte, and bounds checked before allocation. */
class XdrEncodingTest {
    /** Encodes through an 8-byte buffer, so every value crosses buffer boundaries. */
    private static byte[] encode(java.util.function.Consumer<XdrEncoder> w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean[] last = {false};
        XdrEncoder out = new XdrEncoder(ByteBuffer.allocate(8), (data, l) -> {
            while (data.hasRemaining()) bytes.write(data.get());
            last[0] = l;
        });
        w.accept(out);
        out.finish();
        assertTrue(last[0], "finish() ends the message");
        return bytes.toByteArray();
    }

    /** Decodes from an 8-byte buffer refilled one byte at a time (the worst cut of a stream). */
    private static XdrDecoder decoder(byte[] bytes) {
        int[] pos = {0};
        return new XdrDecoder(ByteBuffer.allocate(8), dst -> {
            if (pos[0] == bytes.length) return -1;
            dst.put(bytes[pos[0]++]);
            return 1;
        });
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void integersAreBigEndianUnitsAndSixtyFourBitsTwoUnitsHighFirst() {
        byte[] b = encode(o -> o.writeInt(-2).writeLong(0x0102030405060708L).writeBoolean(true));
        assertEquals("fffffffe" + "0102030405060708" + "00000001", hex(b));
        XdrDecoder in = decoder(b);
        assertEquals(-2, in.readInt());
        assertEquals(0x0102030405060708L, in.readLong());
        assertTrue(in.readBoolean());
        in.expectEnd();
    }

    @Test
    void stringsAndOpaqueArePaddedToFourWithZeros() {
        byte[] b = encode(
                o -> o.writeString("abcde", 8).writeOpaque(new byte[] {1}, 4).writeFixedOpaque(new byte[3], 3));
        assertEquals("00000005" + "6162636465000000" + "00000001" + "01000000" + "000000" + "00", hex(b));
        XdrDecoder in = decoder(b);
        assertEquals("abcde", in.readString(8));
        assertArrayEquals(new byte[] {1}, in.readOpaque(4));
        assertArrayEquals(new byte[3], in.readFixedOpaque(3));
        in.expectEnd();
    }

    @Test
    void charVectorsAreOneSignExtendedUnitPerByteNulPadded() {
        byte[] b = encode(o -> o.writeCharVector("h\u00e9", 4));
        // 'h', then UTF-8 0xC3 0xA9 sign-extended as xdr_char does, then a NUL
        assertEquals("00000068" + "ffffffc3" + "ffffffa9" + "00000000", hex(b));
        assertEquals("h\u00e9", decoder(b).readCharVector(4));
        assertEquals("full", decoder(encode(o -> o.writeCharVector("full", 4))).readCharVector(4));
    }

    @Test
    void afsUuidIsElevenUnitsWithUnsignedShortsAndSignedChars() {
        UUID u = UUID.fromString("8a3c1f2e-9234-4bcd-8e9f-a1b2c3d4e5f6");
        byte[] b = encode(o -> o.writeUuid(u));
        assertEquals(
                "8a3c1f2e" + "00009234" + "00004bcd" + "ffffff8e" + "ffffff9f" + "ffffffa1" + "ffffffb2" + "ffffffc3"
                        + "ffffffd4" + "ffffffe5" + "fffffff6",
                hex(b));
        assertEquals(u, decoder(b).readUuid());
    }

    @Test
    void countsOverTheirBoundFailOnBothSides() {
        assertThrows(XdrException.class, () -> encode(o -> o.writeString("abcde", 4)));
        assertThrows(XdrException.class, () -> encode(o -> o.writeCount(9, 8)));
        assertThrows(XdrException.class, () -> XdrEncoder.checkLength(2, 3));
        assertThrows(
                XdrException.class, () -> decoder(encode(o -> o.writeInt(9))).readCount(8));
        assertEquals(9, decoder(encode(o -> o.writeInt(9))).readCount(Xdr.UNBOUNDED));
    }

    @Test
    void aHugeCountAllocatesOnlyWhatArrives() {
        // 2^31 - 9 bytes announced, 12 sent: a short message, not an OutOfMemoryError
        byte[] b = encode(
                o -> o.writeInt(Integer.MAX_VALUE - 8).writeInt(1).writeInt(2).writeInt(3));
        XdrException e = assertThrows(XdrException.class, () -> decoder(b).readOpaque(Xdr.UNBOUNDED));
        assertTrue(e.getMessage().contains("ends"), e.getMessage());
        assertThrows(
                XdrException.class, () -> decoder(encode(o -> o.writeInt(-1))).readCount(Xdr.UNBOUNDED));
    }

    @Test
    void truncatedAndOverlongMessagesAreErrors() {
        assertThrows(XdrException.class, () -> decoder(new byte[3]).readInt());
        XdrDecoder in = decoder(new byte[8]);
        in.readInt();
        assertThrows(XdrException.class, in::expectEnd);
    }

    @Test
    void rawBytesStreamWithoutPadding() {
        byte[] b = encode(
                o -> o.writeBytes(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})).writeInt(7));
        assertEquals("0102030405" + "00000007", hex(b));
        XdrDecoder in = decoder(b);
        ByteBuffer dst = ByteBuffer.allocate(5);
        in.readBytes(dst);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, dst.array());
        assertEquals(7, in.readInt());
        assertEquals(-1, in.readSome(ByteBuffer.allocate(1)));
    }

    @Test
    void encodingIntoAFixedBufferFailsCleanlyWhenFull() {
        ByteBuffer target = ByteBuffer.allocate(6);
        XdrEncoder out = XdrEncoder.into(target);
        out.writeInt(1);
        assertThrows(XdrException.class, () -> out.writeInt(2));
        assertEquals(4, out.size());
        assertEquals(1, XdrDecoder.from(target.flip()).readInt());
    }

    @Test
    void floatsAndDoublesAreIeeeBits() {
        byte[] b = encode(o -> o.writeFloat(1.5f).writeDouble(-2.25));
        assertEquals("3fc00000" + "c002000000000000", hex(b));
        XdrDecoder in = decoder(b);
        assertEquals(1.5f, in.readFloat());
        assertEquals(-2.25, in.readDouble());
    }
}
