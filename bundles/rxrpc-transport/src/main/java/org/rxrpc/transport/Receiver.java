package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.transport.wire.Wire;

/**
 * The receiving half of calls, on the I/O thread: stores DATA sub-packets by seq, delivers them in
 * order to the application's ring, and decides when and why to ACK (net/rxrpc/input.c). Packets are
 * hard-ACKed once received in order (as Linux does); unread data shrinks the advertised window.
 */
final class Receiver {
    /** Linux's order of urgency when several reasons apply to one datagram. */
    private static final int[] REASON_PRIORITY = new int[10];

    static {
        REASON_PRIORITY[Wire.ACK_OUT_OF_SEQUENCE] = 7;
        REASON_PRIORITY[Wire.ACK_NOSPACE] = 6;
        REASON_PRIORITY[Wire.ACK_EXCEEDS_WINDOW] = 5;
        REASON_PRIORITY[Wire.ACK_DUPLICATE] = 4;
        REASON_PRIORITY[Wire.ACK_REQUESTED] = 3;
        REASON_PRIORITY[Wire.ACK_DELAY] = 2;
        REASON_PRIORITY[Wire.ACK_IDLE] = 1;
    }

    private final PacketPool pool;
    private final Counters counters;
    private final int receiveWindowMax;

    Receiver(PacketPool pool, Counters counters, int receiveWindowMax) {
        this.pool = pool;
        this.counters = counters;
        this.receiveWindowMax = receiveWindowMax;
    }

    /**
     * Stores one DATA sub-packet.
     *
     * @return false if the packet is malformed for this call (data after the LAST packet)
     */
    boolean dataPacket(Call call, int seq, int flags, int serial, ByteBuffer src, int offset, int length) {
        counters.inc(Counter.DATA_PACKETS_RECEIVED);
        boolean last = (flags & Wire.FLAG_LAST_PACKET) != 0;
        int knownLast = call.rxLastSeq != 0 ? call.rxLastSeq : call.rxHighestLast;
        if (knownLast != 0 && (seq - knownLast > 0 || (last && seq != knownLast))) return false;
        if ((flags & Wire.FLAG_REQUEST_ACK) != 0) proposeAck(call, Wire.ACK_REQUESTED, serial);
        if (seq - call.rxDelivered <= 0) {
            counters.inc(Counter.DUPLICATE_DATA_RECEIVED);
            proposeAck(call, Wire.ACK_DUPLICATE, serial);
            return true;
        }
        if (seq - call.rxDelivered > receiveWindowMax || seq - call.rxConsumed >= Call.RING) {
            counters.inc(Counter.DROP_EXCEEDS_WINDOW);
            proposeAck(call, Wire.ACK_EXCEEDS_WINDOW, serial);
            return true;
        }
        int slot = seq & Call.RING_MASK;
        if (call.rxRing[slot] != null) {
            counters.inc(Counter.DUPLICATE_DATA_RECEIVED);
            proposeAck(call, Wire.ACK_DUPLICATE, serial);
            return true;
        }
        PacketBuffer p = copyIn(src, offset, length);
        if (p == null) {
            counters.inc(Counter.DROP_NO_BUFFER);
            return true;
        }
        call.rxRing[slot] = p;
        if (last) call.rxHighestLast = seq;
        if (seq - call.rxHighestStored > 0) call.rxHighestStored = seq;
        // Out of sequence only after a gap: the sub-packets of an in-order jumbogram follow each other.
        if (seq == call.rxContiguous + 1) {
            int next = seq;
            while (next - call.rxHighestStored < 0 && call.rxRing[(next + 1) & Call.RING_MASK] != null) next++;
            call.rxContiguous = next;
        } else {
            proposeAck(call, Wire.ACK_OUT_OF_SEQUENCE, serial);
        }
        call.rxPendingAckPackets++;
        if (call.rxPendingAckSerial == 0) call.rxPendingAckSerial = serial;
        return true;
    }

    /** Copies a sub-packet into pooled buffers, chaining when it is larger than one; null if none free. */
    private PacketBuffer copyIn(ByteBuffer src, int offset, int length) {
        PacketBuffer head = pool.tryAcquire();
        if (head == null) return null;
        PacketBuffer cur = head;
        int done = 0;
        while (true) {
            int n = Math.min(length - done, PacketBuffer.CAPACITY);
            src.get(offset + done, cur.data, 0, n);
            cur.length = n;
            done += n;
            if (done == length) return head;
            PacketBuffer more = pool.tryAcquire();
            if (more == null) {
                pool.release(head);
                return null;
            }
            cur.next = more;
            cur = more;
        }
    }

    /**
     * Moves in-order packets to the application and publishes them.
     *
     * @return true if something new became readable or the message completed
     */
    boolean deliver(Call call) {
        int delivered = call.rxDelivered;
        int start = delivered;
        while (call.rxRing[(delivered + 1) & Call.RING_MASK] != null && delivered + 1 - call.rxHighestStored <= 0) {
            delivered++;
            if (delivered == call.rxHighestLast) break;
        }
        if (delivered == start) return false;
        if (delivered == call.rxHighestLast) {
            // Published before rxDelivered, so a reader that sees the end also sees the new state.
            call.rxLastSeq = delivered;
            if (!call.client && call.state == CallState.SERVER_RECEIVING_REQUEST) {
                call.state = CallState.SERVER_SENDING_REPLY;
            }
        }
        call.rxDelivered = delivered;
        if (call.rxAdvertisedWindow > 0 && call.rxAdvertisedWindow < receiveWindowMax / 2) call.wantWindowUpdate = true;
        return true;
    }

    /**
     * The call ended: packets stored beyond the delivered ones (held behind a gap) will never be read,
     * so they go back to the pool here; delivered ones are the reader's, freed as it reads or closes.
     */
    static void releaseUndelivered(Call call) {
        for (int seq = call.rxDelivered + 1; seq - call.rxHighestStored <= 0; seq++) {
            int slot = seq & Call.RING_MASK;
            PacketBuffer p = call.rxRing[slot];
            call.rxRing[slot] = null;
            if (p != null) call.endpoint.pool.release(p);
        }
    }

    /** Remembers the most urgent reason to ACK since the last ACK went out. */
    static void proposeAck(Call call, int reason, int serial) {
        if (REASON_PRIORITY[reason] > REASON_PRIORITY[call.rxPendingAckReason]) {
            call.rxPendingAckReason = reason;
            call.rxPendingAckSerial = serial;
        }
    }

    /** Whether a proposed reason must go out now rather than on the delayed-ACK timer. */
    static boolean urgent(int reason) {
        return reason == Wire.ACK_REQUESTED
                || reason == Wire.ACK_DUPLICATE
                || reason == Wire.ACK_OUT_OF_SEQUENCE
                || reason == Wire.ACK_EXCEEDS_WINDOW;
    }
}
