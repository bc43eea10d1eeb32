package org.rxrpc.rxperf;

import java.nio.ByteBuffer;

/**
 * The payload pattern precomputed once, one period longer than a chunk: the payload bytes at any offset
 * are a slice of it, sent as they are instead of being written byte by byte per call (8.5% of a server's
 * CPU for 1 MiB replies, and the Java client's the same for 1 MiB requests).
 */
final class PatternSlices {
    /** The most bytes one slice holds. */
    static final int CHUNK = 64 * 1024;

    /** The payload pattern repeats every 251 bytes (Rxperf.patternByte). */
    private static final int PERIOD = 251;

    private static final byte[] PATTERN = new byte[CHUNK + PERIOD];

    static {
        Rxperf.fillPattern(PATTERN, 0, PATTERN.length, 0);
    }

    private PatternSlices() {}

    /** A view of the pattern for one thread to slice. */
    static ByteBuffer newView() {
        return ByteBuffer.wrap(PATTERN).asReadOnlyBuffer();
    }

    /** Sets {@code view} to the payload bytes {@code [offset, offset + n)}, n at most {@link #CHUNK}. */
    static ByteBuffer slice(ByteBuffer view, long offset, int n) {
        if (n < 0 || n > CHUNK) throw new IllegalArgumentException("slice of " + n + " bytes");
        int start = (int) (offset % PERIOD);
        view.limit(start + n).position(start);
        return view;
    }
}
