package org.rxrpc.xdr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads XDR from a buffer that a {@link Source} refills, so a message of any size streams through one
 * buffer. Every count and length is checked against its bound before anything is allocated, and large
 * ones are allocated as their bytes arrive: a peer cannot make us allocate more than it sends. Not
 * thread-safe.
 */
public final class XdrDecoder {
    /** Where bytes come from (a call's receive, a byte array...). */
    @FunctionalInterface
    public interface Source {
        /**
         * Reads at least one byte into {@code dst} (waiting for it), or returns -1 at the end of the message.
         */
        int read(ByteBuffer dst);
    }

    /** Arrays and byte strings over this many elements grow as their data arrives. */
    static final int CHUNK = 4096;

    private static final Source NO_SOURCE = dst -> -1;

    /** Strings up to this many bytes are read through {@link #scratch}: one allocation, the String's own. */
    private static final int SCRATCH_MAX = 65536;

    private final ByteBuffer buf;
    private final Source source;
    private boolean ended;
    private byte[] scratch = new byte[128];
    private int optionalDepth;

    /** @param buf the buffer to read through (its contents are discarded); at least 8 bytes */
    public XdrDecoder(ByteBuffer buf, Source source) {
        if (buf.capacity() < 8) throw new IllegalArgumentException("buffer under 8 bytes");
        this.buf = buf.clear().flip();
        this.source = source;
    }

    private XdrDecoder(ByteBuffer data) {
        this.buf = data;
        this.source = NO_SOURCE;
    }

    /** Decodes the bytes between {@code data}'s position and limit; they are the whole message. */
    public static XdrDecoder from(ByteBuffer data) {
        return new XdrDecoder(data);
    }

    /** Starts a new message in the same buffer: one decoder can serve message after message. */
    public void reset() {
        buf.clear().flip();
        ended = false;
        optionalDepth = 0;
    }

    /** Makes {@code n} (at most the buffer's capacity) bytes readable, or throws at the end of the message. */
    private void need(int n) {
        while (buf.remaining() < n) {
            if (!fill()) throw new XdrException("message ends " + (n - buf.remaining()) + " bytes early");
        }
    }

    /** Reads more from the source; false at the end of the message. */
    private boolean fill() {
        if (ended || source == NO_SOURCE) return false;
        buf.compact();
        int r;
        try {
            r = source.read(buf);
        } finally {
            buf.flip();
        }
        if (r < 0) ended = true;
        return r >= 0;
    }

    public int readInt() {
        need(4);
        return buf.getInt();
    }

    public long readLong() {
        need(8);
        return buf.getLong();
    }

    /** bool: any non-zero unit is true, as xdr_bool reads it. */
    public boolean readBoolean() {
        return readInt() != 0;
    }

    public float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    /** afsUUID: eleven units (see {@link XdrEncoder#writeUuid}); only each field's low bits count. */
    public UUID readUuid() {
        long timeLow = readInt() & 0xFFFFFFFFL;
        long timeMid = readInt() & 0xFFFFL;
        long timeHi = readInt() & 0xFFFFL;
        long lsb = 0;
        for (int i = 0; i < 8; i++) lsb = (lsb << 8) | (readInt() & 0xFF);
        return new UUID((timeLow << 32) | (timeMid << 16) | timeHi, lsb);
    }

    /**
     * The count of a {@code T<max>}, checked against {@code max} (-1: unbounded, but never more than a Java
     * array holds) before the caller allocates anything.
     */
    public int readCount(long max) {
        long n = readInt() & 0xFFFFFFFFL;
        if (max >= 0 && n > max) throw new XdrException("count " + n + " over its bound " + max);
        if (n > Integer.MAX_VALUE - 8) throw new XdrException("count " + n + " too large");
        return (int) n;
    }

    /** {@code string<max>} (UTF-8). */
    public String readString(long max) {
        int n = readCount(max);
        if (n > SCRATCH_MAX) return new String(readPadded(n), StandardCharsets.UTF_8);
        byte[] b = scratch(n);
        for (int off = 0; off < n; ) {
            if (!buf.hasRemaining()) need(1);
            int chunk = Math.min(n - off, buf.remaining());
            buf.get(b, off, chunk);
            off += chunk;
        }
        skip((4 - (n & 3)) & 3);
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code char name[n]}: n units; the string ends at the first NUL. */
    public String readCharVector(int n) {
        byte[] b = n <= SCRATCH_MAX ? scratch(n) : new byte[n];
        int length = n;
        for (int i = 0; i < n; i++) {
            b[i] = (byte) readInt();
            if (b[i] == 0 && length == n) length = i;
        }
        return new String(b, 0, length, StandardCharsets.UTF_8);
    }

    /** The reused buffer, grown to {@code n} (at most {@link #SCRATCH_MAX}, after the bound check). */
    private byte[] scratch(int n) {
        if (scratch.length < n) scratch = new byte[Math.max(n, 2 * scratch.length)];
        return scratch;
    }

    /** {@code opaque[n]}. */
    public byte[] readFixedOpaque(int n) {
        return readPadded(n);
    }

    /** {@code opaque<max>}. */
    public byte[] readOpaque(long max) {
        return readPadded(readCount(max));
    }

    private byte[] readPadded(int n) {
        byte[] b = new byte[Math.min(n, CHUNK)];
        int off = 0;
        while (off < n) {
            if (!buf.hasRemaining()) need(1);
            if (off == b.length) b = Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
            int chunk = Math.min(b.length - off, buf.remaining());
            buf.get(b, off, chunk);
            off += chunk;
        }
        skip((4 - (n & 3)) & 3);
        return b;
    }

    private void skip(int n) {
        need(n);
        buf.position(buf.position() + n);
    }

    /** Raw bytes (a split call's bulk data): fills {@code dst}, or throws if the message ends first. */
    public void readBytes(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            if (readSome(dst) < 0) throw new XdrException("message ends " + dst.remaining() + " bytes early");
        }
    }

    /** Raw bytes: copies what is available (waiting for at least one byte), or -1 at the end of the message. */
    public int readSome(ByteBuffer dst) {
        if (!dst.hasRemaining()) return 0;
        if (!buf.hasRemaining() && !fill()) return -1;
        int n = Math.min(dst.remaining(), buf.remaining());
        int limit = buf.limit();
        buf.limit(buf.position() + n);
        dst.put(buf);
        buf.limit(limit);
        return n;
    }

    /** Whether the message has no more bytes (waits to find out). */
    public boolean atEnd() {
        return !buf.hasRemaining() && !fill();
    }

    /**
     * Optional data nested deeper than this (a linked list's next pointers: OpenAFS's vldblist, say) is
     * refused rather than followed: each level is a decode within a decode, and a peer must not be able to
     * exhaust a thread's stack with a long chain.
     */
    public static final int MAX_OPTIONAL_DEPTH = 2048;

    /**
     * Reads an XDR optional ({@code *T}): a boolean, then {@code reader}'s value if true, else null.
     *
     * @throws XdrException if optional data nest deeper than {@link #MAX_OPTIONAL_DEPTH}, or deeper than the
     *     thread's stack holds
     */
    public <T> T readOptional(Function<XdrDecoder, T> reader) {
        if (!readBoolean()) return null;
        if (optionalDepth >= MAX_OPTIONAL_DEPTH) {
            throw new XdrException("optional data nested deeper than " + MAX_OPTIONAL_DEPTH);
        }
        optionalDepth++;
        try {
            return reader.apply(this);
        } catch (StackOverflowError e) {
            if (optionalDepth > 1) throw e; // unwound to the outermost optional, where there is stack again
            throw new XdrException("optional data nested deeper than this thread's stack holds");
        } finally {
            optionalDepth--;
        }
    }

    /** Checks that the message has no bytes left: more means the peer sent something else. */
    public void expectEnd() {
        if (!atEnd()) throw new XdrException("unexpected bytes after the end of the message");
    }
}
