package org.rxrpc.transport;

import org.rxrpc.transport.wire.Wire;

/**
 * The data of one Rx DATA packet, pooled and reused. A received packet larger than one buffer continues
 * in {@link #next}. The transmit bookkeeping fields belong to the I/O thread.
 */
final class PacketBuffer {
    static final int CAPACITY = Wire.MAX_SINGLE_DATA;

    final byte[] data = new byte[CAPACITY];
    int length;
    /** Continuation of an oversized received packet, or null. */
    PacketBuffer next;

    // Transmit state, owned by the I/O thread.
    int serial;
    long sentNanos;
    int txCount;
    boolean inFlight;
    boolean softAcked;
    boolean needsResend;
    /** The header checksum of a secured DATA packet (bytes 24-25, or its jumbo header's), set when secured. */
    int checksum;

    void reset() {
        length = 0;
        next = null;
        serial = 0;
        sentNanos = 0;
        txCount = 0;
        inFlight = false;
        softAcked = false;
        needsResend = false;
        checksum = 0;
    }
}
