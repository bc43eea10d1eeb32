package org.rxrpc.cm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Reads XDR (RFC 4506, 4-byte big-endian units) from a buffer; underflow or a bad length throws. */
final class XdrReader {
    /** Thrown for truncated or malformed arguments (the server answers RXGEN_SS_UNMARSHAL). */
    static final class XdrException extends Exception {
        private static final long serialVersionUID = 1L;

        XdrException(String message) {
            super(message, null, false, false);
        }
    }

    private final ByteBuffer buf;

    XdrReader(ByteBuffer buf) {
        this.buf = buf;
    }

    int remaining() {
        return buf.remaining();
    }

    int readInt() throws XdrException {
        if (buf.remaining() < 4) throw new XdrException("truncated");
        return buf.getInt();
    }

    long readHyper() throws XdrException {
        long high = readInt();
        return (high << 32) | (readInt() & 0xFFFFFFFFL);
    }

    /** A counted array length, checked against {@code max}. */
    int readCount(int max) throws XdrException {
        int n = readInt();
        if (n < 0 || n > max) throw new XdrException("count " + n + " over " + max);
        return n;
    }

    String readString(int max) throws XdrException {
        int n = readCount(max);
        int padded = (n + 3) & ~3;
        if (buf.remaining() < padded) throw new XdrException("truncated string");
        byte[] b = new byte[n];
        buf.get(b);
        buf.position(buf.position() + padded - n);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** afsUUID: 11 units (time_low, time_mid, time_hi_and_version, clock_seq_hi, clock_seq_low, node[6]). */
    UUID readUuid() throws XdrException {
        long timeLow = readInt() & 0xFFFFFFFFL;
        long timeMid = readInt() & 0xFFFF;
        long timeHi = readInt() & 0xFFFF;
        long clockHi = readInt() & 0xFF;
        long clockLow = readInt() & 0xFF;
        long node = 0;
        for (int i = 0; i < 6; i++) node = (node << 8) | (readInt() & 0xFF);
        return new UUID((timeLow << 32) | (timeMid << 16) | timeHi, (clockHi << 56) | (clockLow << 48) | node);
    }
}
