package org.rxrpc.transport.testutil;

import java.nio.ByteBuffer;

/**
 * What a receiver must make of a datagram before any connection or call is looked at: the structural
 * rules of rx-protocol.md §1-§5 (and issue 11, item 1), written here independently of the transport
 * under test, as the oracle of its fuzz tests.
 *
 * <p>A {@link Verdict#MALFORMED} datagram breaks a rule of the wire format itself; a receiver drops it
 * (and counts it) or answers it statelessly, and never lets it create or touch call state.
 */
public final class PacketRules {
    public static final int HEADER = 28;
    public static final int JUMBO_DATA = 1412;
    public static final int JUMBO_HEADER = 4;
    /** An ACK body before its soft-ACK array. */
    public static final int ACK_FIXED = 18;

    private PacketRules() {}

    public enum Verdict {
        /** Breaks the wire format: too short, a forbidden field value, a broken jumbogram. */
        MALFORMED,
        /** A CHALLENGE or RESPONSE: only the null security class exists, so these are refused. */
        SECURITY,
        /** A VERSION request (CLIENT_INITIATED, empty body or body[0] = 0): answered, nothing kept. */
        VERSION_REQUEST,
        /** A VERSION reply or keepalive: ignored. */
        VERSION_OTHER,
        /** A DEBUG request (CLIENT_INITIATED, type and index present): answered or refused, nothing kept. */
        DEBUG_REQUEST,
        /** Well formed: what it does depends on the connections and calls it names. */
        WELL_FORMED
    }

    public static Verdict judge(byte[] d) {
        if (d.length < HEADER) return Verdict.MALFORMED;
        ByteBuffer b = ByteBuffer.wrap(d);
        int type = d[20] & 0xff;
        int flags = d[21] & 0xff;
        boolean clientInitiated = (flags & RawPacket.FLAG_CLIENT_INITIATED) != 0;
        int callNumber = b.getInt(8);
        int seq = b.getInt(12);
        int serviceId = b.getShort(26) & 0xffff;
        switch (type) {
            case RawPacket.TYPE_VERSION:
                return clientInitiated && (d.length == HEADER || d[HEADER] == 0)
                        ? Verdict.VERSION_REQUEST
                        : Verdict.VERSION_OTHER;
            case RawPacket.TYPE_DEBUG:
                return clientInitiated && d.length >= HEADER + 8 ? Verdict.DEBUG_REQUEST : Verdict.MALFORMED;
            case RawPacket.TYPE_CHALLENGE:
            case RawPacket.TYPE_RESPONSE:
                return Verdict.SECURITY;
            case RawPacket.TYPE_DATA:
            case RawPacket.TYPE_ACK:
            case RawPacket.TYPE_BUSY:
            case RawPacket.TYPE_ABORT:
            case RawPacket.TYPE_ACKALL:
                break;
            default:
                return Verdict.MALFORMED; // 0, PARAMS 9-12, 14 and up
        }
        if (type == RawPacket.TYPE_ABORT) {
            // The only packet that may name call 0 (the whole connection) or service 0 (OpenAFS's raw
            // ABORT moves the service id into the checksum bytes); it needs its 4-byte code.
            return d.length >= HEADER + 4 ? Verdict.WELL_FORMED : Verdict.MALFORMED;
        }
        if (serviceId == 0 || callNumber == 0) return Verdict.MALFORMED;
        if (type == RawPacket.TYPE_DATA) return wellFormedData(d, seq, flags) ? Verdict.WELL_FORMED : Verdict.MALFORMED;
        if (type == RawPacket.TYPE_ACK) return wellFormedAck(d) ? Verdict.WELL_FORMED : Verdict.MALFORMED;
        return Verdict.WELL_FORMED; // BUSY, ACKALL: header only, anything after it ignored
    }

    /**
     * A DATA datagram: seq 1 or more; each sub-packet flagged JUMBO carries exactly 1412 bytes, is
     * followed by a 4-byte jumbo header and is not also LAST; the sub-packets' seqs (one more each) do
     * not wrap through 0.
     */
    public static boolean wellFormedData(byte[] d, int seq, int flags) {
        if (seq == 0) return false;
        int offset = HEADER;
        long lastSeq = Integer.toUnsignedLong(seq);
        while ((flags & RawPacket.FLAG_JUMBO_PACKET) != 0) {
            if ((flags & RawPacket.FLAG_LAST_PACKET) != 0) return false;
            if (d.length - offset < JUMBO_DATA + JUMBO_HEADER) return false;
            offset += JUMBO_DATA;
            flags = d[offset] & 0xff;
            offset += JUMBO_HEADER;
            lastSeq++;
        }
        return lastSeq <= 0xFFFFFFFFL;
    }

    /** An ACK body holds its fixed part and the soft-ACK array it announces; the trailer is optional. */
    public static boolean wellFormedAck(byte[] d) {
        int body = d.length - HEADER;
        if (body < ACK_FIXED) return false;
        int nAcks = d[HEADER + 17] & 0xff;
        return body >= ACK_FIXED + nAcks;
    }

    /** The number of sub-packets of a well-formed DATA datagram. */
    public static int subPackets(byte[] d) {
        int flags = d[21] & 0xff;
        int n = 1;
        int offset = HEADER;
        while ((flags & RawPacket.FLAG_JUMBO_PACKET) != 0 && d.length - offset >= JUMBO_DATA + JUMBO_HEADER) {
            offset += JUMBO_DATA;
            flags = d[offset] & 0xff;
            offset += JUMBO_HEADER;
            n++;
        }
        return n;
    }

    /**
     * Whether this datagram may start a call on a server offering {@code serviceId} over the null
     * security class: a well-formed DATA packet from the client end with seq 1 (a jumbogram may carry
     * more from there), a call number, and that service (Linux: only DATA seq 1 makes a new call;
     * issue 11: a PING or a mid-call packet of an unknown call must not).
     */
    public static boolean validFirstData(byte[] d, int serviceId) {
        if (judge(d) != Verdict.WELL_FORMED) return false;
        ByteBuffer b = ByteBuffer.wrap(d);
        int flags = d[21] & 0xff;
        return (d[20] & 0xff) == RawPacket.TYPE_DATA
                && (flags & RawPacket.FLAG_CLIENT_INITIATED) != 0
                && b.getInt(12) == 1
                && (d[23] & 0xff) == 0
                && (b.getShort(26) & 0xffff) == serviceId;
    }
}
