package org.rxrpc.xdr;

import java.util.Arrays;

/**
 * Helpers for generated decoders: arrays of a received count are allocated in chunks as their elements
 * arrive, so a count near its (possibly unbounded) limit costs memory only for the data really sent.
 */
public final class Xdr {
    private Xdr() {}

    /** The bound of {@code T<>}, {@code string<>} and {@code opaque<>}: none but the wire's 32 bits. */
    public static final long UNBOUNDED = -1;

    /** The first allocation for {@code n} elements. */
    public static int initialCapacity(int n) {
        return Math.min(n, XdrDecoder.CHUNK);
    }

    /** A larger copy, up to {@code n} elements, for when element {@code a.length} is about to be read. */
    public static int[] grow(int[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static long[] grow(long[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static short[] grow(short[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static byte[] grow(byte[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static boolean[] grow(boolean[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static float[] grow(float[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    public static double[] grow(double[] a, int n) {
        return Arrays.copyOf(a, next(a.length, n));
    }

    private static int next(int length, int n) {
        return (int) Math.min(n, Math.max(1, 2L * length));
    }
}
