package org.rxrpc.transport;

import org.rxrpc.transport.util.MpmcRing;

/**
 * Packet buffers shared by an endpoint's I/O thread and its application threads. The I/O thread only
 * takes what is there ({@link #tryAcquire}) and drops a packet it cannot buffer; application threads may
 * allocate ({@link #acquire}) when the pool is empty.
 */
final class PacketPool {
    private final MpmcRing<PacketBuffer> free;

    PacketPool(int buffers) {
        free = new MpmcRing<>(buffers);
        for (int i = 0; i < buffers; i++) free.offer(new PacketBuffer());
    }

    /** For the I/O thread: a buffer, or null when the pool is empty. */
    PacketBuffer tryAcquire() {
        PacketBuffer b = free.poll();
        if (b != null) b.reset();
        return b;
    }

    /** For application threads: a buffer, allocated if the pool is empty. */
    PacketBuffer acquire() {
        PacketBuffer b = free.poll();
        if (b == null) return new PacketBuffer();
        b.reset();
        return b;
    }

    /** Returns a buffer (and its continuations); a full pool leaves the extras to the garbage collector. */
    void release(PacketBuffer b) {
        while (b != null) {
            PacketBuffer next = b.next;
            b.next = null;
            free.offer(b);
            b = next;
        }
    }

    int available() {
        return free.size();
    }
}
