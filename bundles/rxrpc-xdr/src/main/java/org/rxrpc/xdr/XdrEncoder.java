package org.rxrpc.xdr;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes XDR (RFC 4506 as rxgen uses it: 4-byte big-endian units, 64-bit values as two units high
 * first, opaque data and strings zero-padded to 4) into a buffer that is handed to a {@link Sink} whenever
 * it fills, so a message of any size streams through one buffer. Not thread-safe.
 */
public final class XdrEncoder {
    /** Where full buffers go (a call's send, a byte array...). */
    @FunctionalInterface
    public interface Sink {
        /**
         * Takes the bytes between {@code data}'s position and limit.
         *
         * @param last no more bytes follow
         */
        void write(ByteBuffer data, boolean last);
    }

    private static final byte[] ZEROS = new byte[4];
    private static final Sink NO_SINK = (data, last) -> {
        if (data.hasRemaining()) throw new BufferOverflowException();
    };

    private final ByteBuffer buf;
    private final Sink sink;
    private final boolean bounded;
    private final int start;
    private byte[] scratch = new byte[128];
    private long flushed;
    private boolean finished;

    /** @param buf the buffer to fill (cleared here); at least 8 bytes */
    public XdrEncoder(ByteBuffer buf, Sink sink) {
        if (buf.capacity() < 8) throw new IllegalArgumentException("buffer under 8 bytes");
        this.buf = buf.clear();
        this.sink = sink;
        this.bounded = false;
        this.start = 0;
    }

    private XdrEncoder(ByteBuffer target) {
        this.buf = target;
        this.sink = NO_SINK;
        this.bounded = true;
        this.start = target.position();
    }

    /**
     * Encodes straight into {@code target} from its position; running out of room throws
     * {@link XdrException}.
     */
    public static XdrEncoder into(ByteBuffer target) {
        return new XdrEncoder(target);
    }

    /** Bytes written so far. */
    public long size() {
        return flushed + buf.position() - start;
    }

    private void room(int n) {
        if (buf.remaining() >= n) return;
        if (bounded) throw new XdrException("encoding needs more than the buffer's " + buf.capacity() + " bytes");
        drain(false);
    }

    private void drain(boolean last) {
        buf.flip();
        flushed += buf.remaining();
        sink.write(buf, last);
        buf.clear();
    }

    public XdrEncoder writeInt(int v) {
        room(4);
        buf.putInt(v);
        return this;
    }

    /** afs_int64 / afs_uint64: two units, the high one first. */
    public XdrEncoder writeLong(long v) {
        room(8);
        buf.putLong(v);
        return this;
    }

    public XdrEncoder writeBoolean(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    public XdrEncoder writeFloat(float v) {
        return writeInt(Float.floatToIntBits(v));
    }

    public XdrEncoder writeDouble(double v) {
        return writeLong(Double.doubleToLongBits(v));
    }

    /**
     * afsUUID: eleven units: time_low, time_mid, time_hi_and_version, clock_seq_hi_and_reserved,
     * clock_seq_low, node[6], each char sign-extended as C's xdr_char does.
     */
    public XdrEncoder writeUuid(UUID u) {
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        writeInt((int) (msb >>> 32));
        writeInt((int) (msb >>> 16) & 0xFFFF); // u_short: zero-extended
        writeInt((int) msb & 0xFFFF);
        for (int shift = 56; shift >= 0; shift -= 8) writeInt((byte) (lsb >>> shift));
        return this;
    }

    /**
     * A count of {@code T<max>} elements; {@code max} -1 means unbounded.
     *
     * @throws XdrException if {@code n} is over {@code max}
     */
    public XdrEncoder writeCount(int n, long max) {
        checkCount(n, max);
        return writeInt(n);
    }

    /** A fixed {@code T[n]}: the array must have exactly {@code n} elements (nothing is written). */
    public static void checkLength(int length, long n) {
        if (length != n) throw new XdrException("array of " + length + " elements where exactly " + n + " are sent");
    }

    static void checkCount(int n, long max) {
        if (n < 0 || (max >= 0 && n > max)) throw new XdrException("count " + n + " over its bound " + max);
    }

    /** {@code string<max>}: length, UTF-8 bytes (no NUL), padding. ASCII goes through a reused buffer. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low 8 bits, exactly ASCII
    public XdrEncoder writeString(String s, long max) {
        if (isAscii(s)) {
            int n = s.length();
            writeCount(n, max);
            if (scratch.length < n) scratch = new byte[Math.max(n, 2 * scratch.length)];
            s.getBytes(0, n, scratch, 0);
            return writeRawPadded(scratch, n);
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeCount(b.length, max);
        return writeRawPadded(b, b.length);
    }

    /**
     * {@code char name[n]}: n units, each a sign-extended byte; the string's bytes then NULs. A string of
     * n bytes fills the array without a NUL, as C allows.
     */
    public XdrEncoder writeCharVector(String s, int n) {
        if (isAscii(s)) {
            if (s.length() > n) throw new XdrException("string of " + s.length() + " bytes in char[" + n + "]");
            for (int i = 0; i < n; i++) writeInt(i < s.length() ? s.charAt(i) : 0);
            return this;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > n) throw new XdrException("string of " + b.length + " bytes in char[" + n + "]");
        for (int i = 0; i < n; i++) writeInt(i < b.length ? b[i] : 0);
        return this;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }

    /** {@code opaque[n]}: exactly n bytes, padding. */
    public XdrEncoder writeFixedOpaque(byte[] b, int n) {
        checkLength(b.length, n);
        return writeRawPadded(b, n);
    }

    /** {@code opaque<max>}: length, bytes, padding. */
    public XdrEncoder writeOpaque(byte[] b, long max) {
        writeCount(b.length, max);
        return writeRawPadded(b, b.length);
    }

    private XdrEncoder writeRawPadded(byte[] b, int n) {
        int off = 0;
        while (off < n) {
            room(1);
            int chunk = Math.min(n - off, buf.remaining());
            buf.put(b, off, chunk);
            off += chunk;
        }
        return pad(n);
    }

    /** The zeros that round {@code n} bytes up to whole units. */
    private XdrEncoder pad(int n) {
        int pad = (4 - (n & 3)) & 3;
        room(pad);
        buf.put(ZEROS, 0, pad);
        return this;
    }

    /** Raw bytes with no length and no padding: the bulk data of a split call. */
    public XdrEncoder writeBytes(ByteBuffer data) {
        while (data.hasRemaining()) {
            room(1);
            int chunk = Math.min(data.remaining(), buf.remaining());
            int limit = data.limit();
            data.limit(data.position() + chunk);
            buf.put(data);
            data.limit(limit);
        }
        return this;
    }

    /** Starts a new message in the same buffer: one encoder can serve message after message. */
    public void reset() {
        buf.clear();
        flushed = 0;
        finished = false;
    }

    /** Hands what is buffered to the sink now (not the end of the message). */
    public void flush() {
        if (!bounded && buf.position() > 0) drain(false);
    }

    /** Ends the message: hands the rest to the sink with {@code last}. Idempotent. */
    public void finish() {
        if (finished) return;
        finished = true;
        if (!bounded) drain(true);
    }

    public boolean isFinished() {
        return finished;
    }
}
