package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.Counter;

/**
 * Bodies of the answers to OpenAFS's DEBUG packets (rxdebug): raw big-endian structs, not XDR
 * (OpenAFS src/rx/rx_packet.c rxi_ReceiveDebugPacket, rx-protocol.md §5.5). Only statistics are
 * reported; connection and peer lists are answered with their end marker.
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

    private DebugReplies() {}

    /**
     * Writes the reply body for {@code type} at {@code offset}.
     *
     * @return its length
     */
    static int write(
            ByteBuffer b, int offset, int type, Counters c, int freePackets, int connections, int peers, int calls) {
        switch (type) {
            case GETSTATS:
                zero(b, offset, STATS_SIZE);
                b.putInt(offset, freePackets);
                b.putInt(offset + 8, (int) (c.get(Counter.CALLS_MADE_LIVE)));
                b.put(offset + 13, (byte) 1); // usedFDs: our one socket
                b.put(offset + 14, DEBUG_VERSION);
                return STATS_SIZE;
            case GETCONN:
            case GETALLCONN:
                zero(b, offset, CONN_SIZE);
                b.putInt(offset + 4, 0xFFFFFFFF); // end of the list
                return CONN_SIZE;
            case GETPEER:
                zero(b, offset, PEER_SIZE);
                b.putInt(offset, 0xFFFFFFFF); // end of the list
                return PEER_SIZE;
            case RXSTATS:
                zero(b, offset, RXSTATS_SIZE);
                put(b, offset, 0, c.get(Counter.DATAGRAMS_RECEIVED)); // packetRequests
                put(
                        b,
                        offset,
                        5,
                        c.get(Counter.DROP_INVALID_FIELD) + c.get(Counter.DROP_TRUNCATED)); // bogusPacketOnRead
                put(b, offset, 24, c.get(Counter.DATA_PACKETS_RECEIVED));
                put(b, offset, 25, c.get(Counter.ACKS_RECEIVED));
                put(b, offset, 26, c.get(Counter.DUPLICATE_DATA_RECEIVED));
                put(b, offset, 27, c.get(Counter.DROP_NO_CALL));
                put(b, offset, 41, c.get(Counter.ACKS_SENT));
                put(b, offset, 42, c.get(Counter.PINGS_SENT));
                put(b, offset, 44, c.get(Counter.BUSY_SENT));
                put(b, offset, 45, c.get(Counter.DATA_PACKETS_SENT));
                put(b, offset, 46, c.get(Counter.DATA_PACKETS_RETRANSMITTED));
                put(b, offset, 55, c.get(Counter.RTT_SAMPLES));
                put(b, offset, 56, connections);
                put(b, offset, 58, peers);
                put(b, offset, 59, calls);
                put(b, offset, 66, c.get(Counter.BUSY_RECEIVED));
                return RXSTATS_SIZE;
            default:
                b.putInt(offset, -8); // RX_DEBUGI_BADTYPE, twice
                b.putInt(offset + 4, -8);
                return 8;
        }
    }

    private static void put(ByteBuffer b, int offset, int word, long value) {
        b.putInt(offset + 4 * word, (int) Math.min(Integer.MAX_VALUE, value));
    }

    private static void zero(ByteBuffer b, int offset, int length) {
        for (int i = 0; i < length; i++) b.put(offset + i, (byte) 0);
    }
}
