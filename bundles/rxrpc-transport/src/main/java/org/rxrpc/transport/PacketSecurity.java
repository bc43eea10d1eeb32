package org.rxrpc.transport;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.WeakHashMap;
import org.rxrpc.api.Counter;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.ConnectionSecurity;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.transport.wire.Wire;

/**
 * DATA bodies through their connection's security class, on the I/O thread: each packet of the transmit
 * ring secured once, in place, before its first send (retransmissions send the same bytes), with its header
 * checksum; each received sub-packet verified in a scratch copy before the receiver stores its user data.
 * The null class costs a comparison. Nothing here allocates.
 *
 * <p>Packet layout: the application thread writes a packet's user data at {@link Call#txDataOffset} (the
 * class's security header size) and at most {@link Call#txMaxData} bytes of it (the class's payload for a
 * 1412-byte body), so the secured body always fits a jumbogram sub-packet; a packet whose secured body is
 * exactly 1412 bytes may join a jumbogram (clear and auth; crypt pads to 1408, as Linux's and OpenAFS's).
 */
final class PacketSecurity {
    private static final int SCRATCH = 16 * 1024 + 64;
    /** Layouts of client classes, found once per class object (the application thread asks). */
    private static final Map<ClientSecurity, int[]> CLIENT_LAYOUTS = new WeakHashMap<>();

    private final Counters counters;
    private final byte[] scratch = new byte[SCRATCH];
    private final ByteBuffer plain = ByteBuffer.wrap(scratch);
    private SecurityFailure lastFailure;

    PacketSecurity(Counters counters) {
        this.counters = counters;
    }

    /** {data offset, data per packet} for calls made with {@code security}; asks a throwaway connection state once. */
    static int[] clientLayout(ClientSecurity security) {
        if (security == NullSecurity.INSTANCE) return NULL_LAYOUT;
        synchronized (CLIENT_LAYOUTS) {
            return CLIENT_LAYOUTS.computeIfAbsent(security, s -> layoutOf(s.newConnection(0, 0)));
        }
    }

    private static final int[] NULL_LAYOUT = {0, Wire.JUMBO_DATA_SIZE};

    static int[] layoutOf(ConnectionSecurity s) {
        return new int[] {s.securityHeaderSize(), s.maxDataPerPacket(Wire.JUMBO_DATA_SIZE)};
    }

    /**
     * Secures the queued packets after the last secured one up to {@code top} (at most what the application
     * queued), in place; their header checksums kept with them.
     *
     * @return null, or the failure that ends the call (e.g. an expired ticket)
     */
    SecurityFailure secureQueued(Call call, int top) {
        Connection c = call.conn;
        ConnectionSecurity s = c.security;
        if (s == NullSecurity.INSTANCE) {
            call.txSecuredTop = top;
            return null;
        }
        int cid = c.cid | call.channel;
        for (int seq = call.txSecuredTop + 1; seq - top <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            try {
                p.length = s.secure(p.data, 0, p.length, c.epoch, cid, call.callNumber, seq, 0);
            } catch (SecurityFailure f) {
                return f;
            }
            p.checksum = s.headerChecksum(c.epoch, cid, call.callNumber, seq);
            call.txSecuredTop = seq;
        }
        return null;
    }

    /**
     * Verifies one received DATA sub-packet of a secured connection, in a scratch copy.
     *
     * @return the user data length (the data are then at {@link #plain()} from {@link #dataOffset}), or -1:
     *     the failure is {@link #lastFailure()} (counted)
     */
    int verify(Call call, int seq, int serial, int checksum, ByteBuffer b, int offset, int length) {
        Connection c = call.conn;
        ConnectionSecurity s = c.security;
        if (length > SCRATCH) {
            lastFailure = TOO_LONG;
            counters.inc(Counter.SECURED_PACKETS_REJECTED);
            return -1;
        }
        b.get(offset, scratch, 0, length);
        try {
            return s.verify(scratch, 0, length, c.epoch, c.cid | call.channel, call.callNumber, seq, serial, checksum);
        } catch (SecurityFailure f) {
            lastFailure = f;
            counters.inc(Counter.SECURED_PACKETS_REJECTED);
            return -1;
        }
    }

    private static final SecurityFailure TOO_LONG = new SecurityFailure(
            org.rxrpc.security.SecurityAbortCodes.RXKADDATALEN, "secured DATA longer than any packet we accept");

    /** Where {@link #verify} left the user data. */
    ByteBuffer plain() {
        return plain;
    }

    /** The offset of the user data in {@link #plain()}: the connection's security header. */
    static int dataOffset(Call call) {
        return call.conn.security.securityHeaderSize();
    }

    SecurityFailure lastFailure() {
        return lastFailure;
    }
}
