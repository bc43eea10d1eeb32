package org.rxrpc.transport;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Header;
import org.rxrpc.transport.wire.Wire;

/**
 * First packets of new calls that found a service's backlog empty, kept for a short while instead of
 * being refused at once: the moment the owner charges again, the I/O thread replays them and the calls
 * go live with no retransmission. Only when this is full, or a packet has waited too long, is the
 * client answered BUSY. A worker that is merely late (scheduling on a busy CPU) then costs a client a
 * few microseconds instead of a BUSY, which an OpenAFS client answers only seconds later.
 *
 * <p>The slots are allocated with the listener, on the thread that listens; the I/O thread only copies
 * into them. A FIFO ring, owned by the I/O thread.
 */
final class DeferredCalls {
    private static final int SLOT_BYTES = Wire.HEADER_SIZE + Wire.JUMBO_DATA_SIZE * Wire.OUR_JUMBO_MAX + 64;

    private final ByteBuffer[] packets;
    private final int[] lengths;
    private final UdpAddress[] sources;
    private final long[] since;
    private int head;
    private int count;
    /** Published count, for the charging thread to decide whether to wake the I/O thread. */
    private volatile int waiting;

    DeferredCalls(int capacity) {
        packets = new ByteBuffer[capacity];
        lengths = new int[capacity];
        sources = new UdpAddress[capacity];
        since = new long[capacity];
        for (int i = 0; i < capacity; i++) {
            packets[i] = ByteBuffer.allocate(SLOT_BYTES);
            sources[i] = new UdpAddress();
        }
    }

    int count() {
        return count;
    }

    /** From any thread: whether packets are waiting (so a charge should wake the I/O thread). */
    boolean anyWaiting() {
        return waiting > 0;
    }

    /**
     * Keeps a copy of a call's first packet.
     *
     * @return false if there is no room (or the packet is too big): answer BUSY instead
     */
    boolean add(ByteBuffer datagram, int length, UdpAddress from, long now) {
        if (count == packets.length || length > SLOT_BYTES) return false;
        int i = (head + count) % packets.length;
        ByteBuffer slot = packets[i];
        slot.clear();
        for (int k = 0; k < length; k++) slot.put(k, datagram.get(k));
        lengths[i] = length;
        sources[i].copyFrom(from);
        since[i] = now;
        count++;
        waiting = count;
        // Pairs with the fence in Accept.charge: a charge made meanwhile either sees this packet (and
        // wakes us) or is seen by our next look at the rings.
        VarHandle.fullFence();
        return true;
    }

    /** Whether a packet of the same call (epoch, cid, call number, source) is already kept. */
    boolean holds(int epoch, int cid, int callNumber, UdpAddress from) {
        for (int n = 0; n < count; n++) {
            int i = (head + n) % packets.length;
            ByteBuffer p = packets[i];
            if (p.getInt(Header.EPOCH) == epoch
                    && p.getInt(Header.CID) == cid
                    && p.getInt(Header.CALL_NUMBER) == callNumber
                    && sources[i].sameAs(from)) {
                return true;
            }
        }
        return false;
    }

    /** How many kept packets came from {@code from}. */
    int countFrom(UdpAddress from) {
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (sources[(head + k) % packets.length].sameAs(from)) n++;
        }
        return n;
    }

    int capacity() {
        return packets.length;
    }

    ByteBuffer oldestPacket() {
        return packets[head];
    }

    int oldestLength() {
        return lengths[head];
    }

    UdpAddress oldestSource() {
        return sources[head];
    }

    long oldestSince() {
        return since[head];
    }

    void removeOldest() {
        head = (head + 1) % packets.length;
        count--;
        waiting = count;
    }

    /** The {@code k}-th kept packet, oldest first (k &lt; count). */
    ByteBuffer packetAt(int k) {
        return packets[(head + k) % packets.length];
    }

    int lengthAt(int k) {
        return lengths[(head + k) % packets.length];
    }

    /** The first kept packet that holds a whole request (a single DATA packet flagged LAST), or -1. */
    int firstComplete() {
        for (int k = 0; k < count; k++) {
            int flags = packetAt(k).get(Header.FLAGS) & 0xff;
            if ((flags & Wire.FLAG_LAST_PACKET) != 0 && (flags & Wire.FLAG_JUMBO_PACKET) == 0) return k;
        }
        return -1;
    }

    UdpAddress sourceAt(int k) {
        return sources[(head + k) % packets.length];
    }

    /** Removes the {@code k}-th kept packet; the younger ones move up, their order kept. No allocation. */
    void removeAt(int k) {
        int n = packets.length;
        for (int j = k; j < count - 1; j++) {
            int a = (head + j) % n;
            int b = (head + j + 1) % n;
            ByteBuffer p = packets[a];
            packets[a] = packets[b];
            packets[b] = p;
            UdpAddress s = sources[a];
            sources[a] = sources[b];
            sources[b] = s;
            lengths[a] = lengths[b];
            since[a] = since[b];
        }
        count--;
        waiting = count;
    }
}
