package org.rxrpc.transport.io;

import java.nio.ByteBuffer;

/**
 * Datagrams received in one go: {@link #count()} slots, each with its bytes (at offset 0 of
 * {@link #data(int)}), its length and its source. Made once per endpoint; the I/O thread refills it.
 */
public final class ReceiveBatch {
    /** Bytes per slot: more than any Rx datagram a peer may send us (we advertise a maxMTU of 5692). */
    public static final int SLOT_BYTES = 16384;

    private final ByteBuffer memory;
    private final ByteBuffer[] data;
    private final int[] lengths;
    private final UdpAddress[] sources;
    private int count;

    public ReceiveBatch(int slots) {
        memory = ByteBuffer.allocateDirect(slots * SLOT_BYTES);
        data = new ByteBuffer[slots];
        lengths = new int[slots];
        sources = new UdpAddress[slots];
        for (int i = 0; i < slots; i++) {
            data[i] = memory.slice(i * SLOT_BYTES, SLOT_BYTES);
            sources[i] = new UdpAddress();
        }
    }

    public int capacity() {
        return data.length;
    }

    public int count() {
        return count;
    }

    public void count(int n) {
        count = n;
    }

    /** The whole direct memory behind the slots (slot i starts at i * SLOT_BYTES). */
    public ByteBuffer memory() {
        return memory;
    }

    public ByteBuffer data(int slot) {
        return data[slot];
    }

    public int length(int slot) {
        return lengths[slot];
    }

    public void length(int slot, int length) {
        lengths[slot] = length;
    }

    public UdpAddress source(int slot) {
        return sources[slot];
    }
}
