package org.rxrpc.rxkad;

import java.nio.charset.StandardCharsets;

/**
 * A small, bounded DER reader: just what Kerberos 5 tickets need (definite lengths, tags of one byte,
 * INTEGER, OCTET STRING, BIT STRING, GeneralString, GeneralizedTime, SEQUENCE, context and application
 * tags). Each element read is a window on the same array; nothing is read outside the window it came
 * from. Malformed input throws {@link Malformed}.
 */
final class Der {
    /** Input that is not the DER expected. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int GENERAL_STRING = 0x1B;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;

    /** Context tag [n], constructed. */
    static int context(int n) {
        return 0xA0 | n;
    }

    /** Application tag [APPLICATION n], constructed. */
    static int application(int n) {
        return 0x60 | n;
    }

    private final byte[] b;
    private int pos;
    private final int end;

    Der(byte[] b, int off, int length) {
        this.b = b;
        this.pos = off;
        this.end = off + length;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The tag of the next element, or -1 at the end. */
    int peekTag() {
        return pos < end ? b[pos] & 0xFF : -1;
    }

    /** Reads the next element, which must have tag {@code tag}; returns its contents as a window. */
    Der read(int tag) throws Malformed {
        if (pos + 2 > end) throw new Malformed("DER element past its container");
        int t = b[pos] & 0xFF;
        if (t != tag)
            throw new Malformed("DER tag " + Integer.toHexString(t) + ", expected " + Integer.toHexString(tag));
        int p = pos + 1;
        int first = b[p++] & 0xFF;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7F;
            if (n == 0 || n > 3) throw new Malformed("DER length form not supported");
            if (p + n > end) throw new Malformed("DER length past its container");
            length = 0;
            for (int i = 0; i < n; i++) length = (length << 8) | (b[p++] & 0xFF);
        }
        if (length > end - p) throw new Malformed("DER contents past its container");
        pos = p + length;
        return new Der(b, p, length);
    }

    /** Reads an optional element: its contents if the next tag is {@code tag}, else null. */
    Der optional(int tag) throws Malformed {
        return peekTag() == tag ? read(tag) : null;
    }

    /** This window as a (signed, at most 64-bit) INTEGER's contents. */
    long integer() throws Malformed {
        int n = end - pos;
        if (n < 1 || n > 8) throw new Malformed("DER INTEGER of " + n + " bytes");
        long v = b[pos];
        for (int i = pos + 1; i < end; i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    /** Reads [tag] INTEGER. */
    long contextInteger(int n) throws Malformed {
        return read(context(n)).read(INTEGER).integer();
    }

    /** Reads [tag] GeneralString as ASCII/UTF-8 text. */
    String contextString(int n) throws Malformed {
        Der s = read(context(n)).read(GENERAL_STRING);
        return new String(s.b, s.pos, s.end - s.pos, StandardCharsets.UTF_8);
    }

    int offset() {
        return pos;
    }

    int length() {
        return end - pos;
    }

    byte[] array() {
        return b;
    }

    /** This window's bytes as text. */
    String text() {
        return new String(b, pos, end - pos, StandardCharsets.UTF_8);
    }
}
