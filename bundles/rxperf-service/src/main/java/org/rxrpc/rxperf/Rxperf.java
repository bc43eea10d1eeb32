package org.rxrpc.rxperf;

/** rxperf protocol constants (rx-protocol.md §10) and the payload pattern our peers agree on. */
public final class Rxperf {
    private Rxperf() {}

    public static final int PORT = 7009;
    public static final int SERVICE_ID = 147;
    public static final int VERSION = 3;
    public static final int COOKIE = 0x00004711;

    public static final int OP_SEND = 0;
    public static final int OP_RECV = 1;
    public static final int OP_RPC = 3;

    /** Abort code for a payload that does not match the pattern (our peers' convention). */
    public static final int ABORT_BAD_PAYLOAD = 1000;
    /** Abort code of a request or reply larger than the server allows (its maxRequestBytes / maxReplyBytes). */
    public static final int ABORT_TOO_LARGE = 1001;
    /** The default limit on a request's or a reply's payload: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    /** Byte {@code offset} of every payload: (offset mod 251), so peers can check every byte. */
    public static byte patternByte(long offset) {
        return (byte) (offset % 251);
    }

    /** Fills {@code dst[from..from+len)} with the pattern starting at payload offset {@code offset}. */
    public static void fillPattern(byte[] dst, int from, int len, long offset) {
        int v = (int) (offset % 251);
        for (int i = 0; i < len; i++) {
            dst[from + i] = (byte) v;
            if (++v == 251) v = 0;
        }
    }

    /** Index of the first byte differing from the pattern, or -1. */
    public static int checkPattern(byte[] src, int from, int len, long offset) {
        int v = (int) (offset % 251);
        for (int i = 0; i < len; i++) {
            if (src[from + i] != (byte) v) return i;
            if (++v == 251) v = 0;
        }
        return -1;
    }
}
