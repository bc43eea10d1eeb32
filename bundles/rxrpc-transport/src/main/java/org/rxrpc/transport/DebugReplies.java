package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.transport.wire.Wire;

/**
 * Bodies of the answers to OpenAFS's DEBUG packets (rxdebug): raw big-endian structs, not XDR, in OpenAFS's
 * layouts (src/rx/rx_packet.c rxi_ReceiveDebugPacket, src/rx/rx.h, rx-protocol.md §5.5): statistics, the
 * index-th connection (every one, or only those with a call in progress) and the index-th peer, from the
 * I/O thread's own tables. One per endpoint, used on its I/O thread: {@link #prepare} then {@link #write};
 * nothing is allocated. Addresses other than IPv4 (which the structs cannot hold) are skipped in the lists.
 */
final class DebugReplies {
    static final int GETSTATS = 1;
    static final int GETCONN = 2;
    static final int GETALLCONN = 3;
    static final int RXSTATS = 4;
    static final int GETPEER = 5;

    static final int STATS_SIZE = 56;
    static final int CONN_SIZE = 176;
    static final int RXSTATS_SIZE = 284;
    static final int PEER_SIZE = 132;
    /** rxdebug enables every field up to nPackets at version 'S'. */
    private static final byte DEBUG_VERSION = 'S';
    /** OpenAFS call states (rx.h RX_STATE_*) and modes (RX_MODE_*), as rxdebug prints them. */
    static final int STATE_NOTINIT = 0;

    static final int STATE_PRECALL = 1;
    static final int STATE_ACTIVE = 2;
    static final int STATE_DALLY = 3;
    static final int MODE_SENDING = 1;
    static final int MODE_RECEIVING = 2;
    static final int MODE_ERROR = 3;
    static final int MODE_EOF = 4;
    private static final int OTHER_IN = 1;
    private static final int OTHER_OUT = 2;
    private static final int SERVER_CONNECTION = 1;

    private final Counters counters;
    private final Tables tables;
    private final LiveCalls live;
    private final PacketPool pool;
    private final int packetBuffers;

    /**
     * The I/O threads of a {@link ReusePortEndpoint} sharing the port, this one among them (null: alone):
     * statistics are their sums. The others' figures are read without their I/O threads, so they may be a
     * moment old, which is all rxdebug needs.
     */
    private volatile DebugReplies[] group;

    // What the current request asks for (I/O thread).
    private int type;
    private int index;

    DebugReplies(Counters counters, Tables tables, LiveCalls live, PacketPool pool, int packetBuffers) {
        this.counters = counters;
        this.tables = tables;
        this.live = live;
        this.pool = pool;
        this.packetBuffers = packetBuffers;
    }

    void joinGroup(DebugReplies[] all) {
        group = all;
    }

    private long count(Counter c) {
        DebugReplies[] g = group;
        if (g == null) return counters.get(c);
        long n = 0;
        for (DebugReplies d : g) n += d.counters.get(c);
        return n;
    }

    private int sum(java.util.function.ToIntFunction<DebugReplies> f) {
        DebugReplies[] g = group;
        if (g == null) return f.applyAsInt(this);
        int n = 0;
        for (DebugReplies d : g) n += f.applyAsInt(d);
        return n;
    }

    /** The request: its type and index (the n-th connection or peer, from 0). */
    DebugReplies prepare(int requestType, int requestIndex) {
        type = requestType;
        index = requestIndex;
        return this;
    }

    /**
     * Writes the reply body of the prepared request at {@code offset}.
     *
     * @return its length
     */
    int write(ByteBuffer b, int offset) {
        switch (type) {
            case GETSTATS:
                zero(b, offset, STATS_SIZE);
                b.putInt(offset, sum(d -> d.pool.available())); // nFreePackets
                b.putInt(offset + 8, (int) count(Counter.CALLS_MADE_LIVE)); // callsExecuted
                b.put(offset + 13, (byte) sum(d -> 1)); // usedFDs: our sockets
                b.put(offset + 14, DEBUG_VERSION);
                b.putInt(offset + 28, sum(d -> d.packetBuffers)); // nPackets
                return STATS_SIZE;
            case GETCONN:
            case GETALLCONN:
                zero(b, offset, CONN_SIZE);
                Connection c = connection(index, type == GETALLCONN);
                if (c == null) b.putInt(offset + 4, 0xFFFFFFFF); // the end of the list
                else writeConnection(b, offset, c);
                return CONN_SIZE;
            case GETPEER:
                zero(b, offset, PEER_SIZE);
                Peer p = peer(index);
                if (p == null) b.putInt(offset, 0xFFFFFFFF); // the end of the list
                else writePeer(b, offset, p);
                return PEER_SIZE;
            case RXSTATS:
                zero(b, offset, RXSTATS_SIZE);
                put(b, offset, 0, count(Counter.DATAGRAMS_RECEIVED)); // packetRequests
                put(b, offset, 5, count(Counter.DROP_INVALID_FIELD) + count(Counter.DROP_TRUNCATED)); // bogus
                put(b, offset, 24, count(Counter.DATA_PACKETS_RECEIVED));
                put(b, offset, 25, count(Counter.ACKS_RECEIVED));
                put(b, offset, 26, count(Counter.DUPLICATE_DATA_RECEIVED));
                put(b, offset, 27, count(Counter.DROP_NO_CALL));
                put(b, offset, 41, count(Counter.ACKS_SENT));
                put(b, offset, 42, count(Counter.PINGS_SENT));
                put(b, offset, 44, count(Counter.BUSY_SENT));
                put(b, offset, 45, count(Counter.DATA_PACKETS_SENT));
                put(b, offset, 46, count(Counter.DATA_PACKETS_RETRANSMITTED));
                put(b, offset, 55, count(Counter.RTT_SAMPLES));
                put(b, offset, 56, sum(d -> d.tables.serverConnectionCount()));
                put(b, offset, 57, sum(d -> d.tables.connectionCount() - d.tables.serverConnectionCount()));
                put(b, offset, 58, sum(d -> d.tables.peerCount()));
                put(b, offset, 59, sum(d -> d.live.count()));
                put(b, offset, 66, count(Counter.BUSY_RECEIVED));
                return RXSTATS_SIZE;
            default:
                b.putInt(offset, -8); // RX_DEBUGI_BADTYPE, twice
                b.putInt(offset + 4, -8);
                return 8;
        }
    }

    /** The n-th IPv4 connection, most recently used first; with {@code all} false only those with a call. */
    private Connection connection(int n, boolean all) {
        if (n < 0) return null;
        for (Connection c = tables.firstConnection(); c != null; c = c.next) {
            if (c.peer.address.isV6() || !(all || inProgress(c))) continue;
            if (n-- == 0) return c;
        }
        return null;
    }

    /** OpenAFS's "interesting": a call in progress on one of its channels. */
    private static boolean inProgress(Connection c) {
        for (int i = 0; i < Wire.MAX_CALLS; i++) {
            Call call = c.channelCall[i];
            if (call != null && !call.state.isComplete()) return true;
        }
        return false;
    }

    private Peer peer(int n) {
        if (n < 0) return null;
        for (Peer p = tables.firstPeer(); p != null; p = p.next) {
            if (p.address.isV6()) continue;
            if (n-- == 0) return p;
        }
        return null;
    }

    /** struct rx_debugConn: 176 bytes, host and port in network order as they are on the wire. */
    private static void writeConnection(ByteBuffer b, int o, Connection c) {
        b.putInt(o, c.peer.address.ipv4());
        b.putInt(o + 4, c.cid);
        b.putInt(o + 8, c.nextSerial);
        b.putShort(o + 32, (short) c.peer.address.port());
        b.put(o + 35, (byte) (c.weAreClient ? 0 : SERVER_CONNECTION));
        b.put(o + 36, (byte) c.securityIndex);
        for (int i = 0; i < Wire.MAX_CALLS; i++) {
            b.putInt(o + 12 + 4 * i, c.channelCallNumber[i]);
            Call call = c.channelCall[i];
            int state;
            int mode;
            int other = 0;
            if (call != null) {
                CallState s = call.state;
                state = s.isComplete() ? STATE_DALLY : STATE_ACTIVE;
                mode = mode(s);
                if (call.rxDelivered != call.rxConsumed) other |= OTHER_IN;
                if (call.txQueuedTop != call.txHardAck) other |= OTHER_OUT;
            } else if (c.channelCallNumber[i] != 0) {
                state = STATE_DALLY; // its last call is over; OpenAFS keeps such a call dallying
                mode = c.channelLastAbort[i] != 0 ? MODE_ERROR : MODE_EOF;
            } else {
                state = STATE_NOTINIT;
                mode = 0;
            }
            b.put(o + 40 + i, (byte) state);
            b.put(o + 44 + i, (byte) mode);
            b.put(o + 52 + i, (byte) other);
        }
        // secStats (o + 56, 76 bytes) stay zero: the null security class keeps none, as in OpenAFS.
        b.putInt(o + 132, c.epoch);
        b.putInt(o + 136, Math.min(c.peer.maxMtu, Wire.OUR_IF_MTU)); // natMTU
    }

    /** OpenAFS's mode of a call in each of our states. */
    static int mode(CallState s) {
        switch (s) {
            case CLIENT_SENDING_REQUEST:
            case SERVER_SENDING_REPLY:
                return MODE_SENDING;
            case CLIENT_RECEIVING_REPLY:
            case SERVER_RECEIVING_REQUEST:
            case PREALLOCATED:
                return MODE_RECEIVING;
            case SUCCEEDED:
            case SERVER_AWAITING_FINAL_ACK:
                return MODE_EOF;
            default:
                return MODE_ERROR;
        }
    }

    /**
     * struct rx_debugPeer: 132 bytes. rtt in 1/8 ms and rtt_dev in 1/4 ms, as OpenAFS keeps them; packet
     * and byte counts are not kept per peer here, and are sent as 0.
     */
    private static void writePeer(ByteBuffer b, int o, Peer p) {
        b.putInt(o, p.address.ipv4());
        b.putShort(o + 4, (short) p.address.port());
        b.putShort(o + 6, (short) Wire.OUR_IF_MTU); // ifMTU
        b.putInt(
                o + 8, (int) ((System.currentTimeMillis() - (System.nanoTime() - p.lastUsedNanos) / 1_000_000) / 1000));
        b.putShort(o + 12, (short) Math.min(Short.MAX_VALUE, p.connections)); // refCount
        b.putInt(o + 24, (int) Math.min(Integer.MAX_VALUE, p.srttNanos * 8 / 1_000_000)); // rtt, 1/8 ms
        b.putInt(o + 28, (int) Math.min(Integer.MAX_VALUE, p.rttvarNanos * 4 / 1_000_000)); // rtt_dev, 1/4 ms
        int mtu = Math.min(p.maxMtu, Wire.OUR_IF_MTU);
        b.putShort(o + 60, (short) mtu); // natMTU
        b.putShort(o + 62, (short) p.maxMtu); // maxMTU
        b.putShort(o + 64, (short) p.jumboMax); // maxDgramPackets
        b.putShort(o + 66, (short) Wire.OUR_JUMBO_MAX); // ifDgramPackets
        b.putShort(o + 68, (short) mtu); // MTU
        b.putShort(o + 72, (short) p.jumboMax); // nDgramPackets
    }

    private static void put(ByteBuffer b, int offset, int word, long value) {
        b.putInt(offset + 4 * word, (int) Math.min(Integer.MAX_VALUE, value));
    }

    private static void zero(ByteBuffer b, int offset, int length) {
        for (int i = 0; i < length; i++) b.put(offset + i, (byte) 0);
    }
}
