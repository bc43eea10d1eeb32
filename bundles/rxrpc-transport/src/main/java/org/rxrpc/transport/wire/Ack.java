package org.rxrpc.transport.wire;

import java.nio.ByteBuffer;

/**
 * An ACK body, decoded into reusable fields. The soft-ACK bytes stay in the datagram: read them with
 * {@link #isAcked(ByteBuffer, int)} while the buffer is still current.
 */
public final class Ack {
    public int bufferSpace;
    public int maxSkew;
    public int firstPacket;
    public int previousPacket;
    public int serial;
    public int reason;
    public int nAcks;
    /** Offset of the soft-ACK array in the datagram. */
    public int acksOffset;
    /** Trailer words, or -1 each when the peer sent no (or a short) trailer. */
    public int maxMtu;

    public int ifMtu;
    public int rwind;
    public int jumboMax;

    /**
     * Reads an ACK body of {@code length} bytes at {@code offset}.
     *
     * @return false if the body is too short for its fixed part or its soft-ACK array
     */
    public boolean decode(ByteBuffer b, int offset, int length) {
        if (length < Wire.ACK_FIXED_SIZE) return false;
        bufferSpace = b.getShort(offset) & 0xffff;
        maxSkew = b.getShort(offset + 2) & 0xffff;
        firstPacket = b.getInt(offset + 4);
        previousPacket = b.getInt(offset + 8);
        serial = b.getInt(offset + 12);
        reason = b.get(offset + 16) & 0xff;
        nAcks = b.get(offset + 17) & 0xff;
        acksOffset = offset + Wire.ACK_FIXED_SIZE;
        if (length < Wire.ACK_FIXED_SIZE + nAcks) return false;
        // The trailer is optional and unaligned: 3 pad bytes, then up to 4 words (OpenAFS reads 2, 3 or 4).
        int trailer = acksOffset + nAcks + 3;
        int trailerBytes = offset + length - trailer;
        maxMtu = trailerBytes >= 4 ? b.getInt(trailer) : -1;
        ifMtu = trailerBytes >= 8 ? b.getInt(trailer + 4) : -1;
        rwind = trailerBytes >= 12 ? b.getInt(trailer + 8) : -1;
        jumboMax = trailerBytes >= 16 ? b.getInt(trailer + 12) : -1;
        return true;
    }

    /** Whether entry {@code i} of the soft-ACK array says ACK (only bit 0 counts). */
    public boolean isAcked(ByteBuffer b, int i) {
        return (b.get(acksOffset + i) & 1) != 0;
    }

    /**
     * Writes an ACK body at {@code offset} with the soft-ACK array supplied by {@code softAcks} (nAcks
     * bytes, each 0 or 1) and the full 16-byte trailer.
     *
     * @return the body length
     */
    public static int encode(
            ByteBuffer b,
            int offset,
            int firstPacket,
            int previousPacket,
            int serial,
            int reason,
            byte[] softAcks,
            int nAcks,
            int maxMtu,
            int ifMtu,
            int rwind,
            int jumboMax) {
        b.putShort(offset, (short) 0);
        b.putShort(offset + 2, (short) 0);
        b.putInt(offset + 4, firstPacket);
        b.putInt(offset + 8, previousPacket);
        b.putInt(offset + 12, serial);
        b.put(offset + 16, (byte) reason);
        b.put(offset + 17, (byte) nAcks);
        int p = offset + Wire.ACK_FIXED_SIZE;
        for (int i = 0; i < nAcks; i++) b.put(p + i, softAcks[i]);
        p += nAcks;
        b.put(p, (byte) 0);
        b.put(p + 1, (byte) 0);
        b.put(p + 2, (byte) 0);
        b.putInt(p + 3, maxMtu);
        b.putInt(p + 7, ifMtu);
        b.putInt(p + 11, rwind);
        b.putInt(p + 15, jumboMax);
        return Wire.ACK_FIXED_SIZE + nAcks + Wire.ACK_TRAILER_SIZE;
    }
}
