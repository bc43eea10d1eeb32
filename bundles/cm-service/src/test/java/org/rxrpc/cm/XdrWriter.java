package org.rxrpc.cm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Test fixture: writes XDR (4-byte big-endian units) by hand, independently of the generated code. */
final class XdrWriter {
    private final ByteBuffer buf;

    XdrWriter(ByteBuffer buf) {
        this.buf = buf;
    }

    XdrWriter writeInt(int v) {
        buf.putInt(v);
        return this;
    }

    XdrWriter writeHyper(long v) {
        buf.putInt((int) (v >>> 32));
        buf.putInt((int) v);
        return this;
    }

    /** string&lt;max&gt;: length, bytes, zero padding (longer strings are cut at {@code max} bytes). */
    XdrWriter writeString(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, max);
        buf.putInt(n);
        buf.put(b, 0, n);
        for (int i = n; (i & 3) != 0; i++) buf.put((byte) 0);
        return this;
    }

    /** char[n]: n units, each a sign-extended byte, NUL-padded (the last is always NUL). */
    XdrWriter writeCharArray(String s, int n) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) buf.putInt(i < b.length && i < n - 1 ? b[i] : 0);
        return this;
    }

    /** afsUUID: 11 units, the chars sign-extended. */
    XdrWriter writeUuid(UUID u) {
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        buf.putInt((int) (msb >>> 32));
        buf.putInt((short) (msb >>> 16));
        buf.putInt((short) msb);
        buf.putInt((byte) (lsb >>> 56));
        buf.putInt((byte) (lsb >>> 48));
        for (int i = 5; i >= 0; i--) buf.putInt((byte) (lsb >>> (8 * i)));
        return this;
    }
}
