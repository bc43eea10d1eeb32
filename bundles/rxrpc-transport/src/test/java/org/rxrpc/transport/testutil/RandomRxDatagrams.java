package org.rxrpc.transport.testutil;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * Random Rx datagrams for the seeded property tests: plain byte strings, and datagrams built on the wire
 * format (rx-protocol.md) whose fields lean towards the values decoders get wrong (0, 1, the sign bit, all
 * ones, the first-packet limit 32, a listened service and service 0), with bodies made for their type
 * (jumbograms, ACK arrays and trailers, ABORT codes, DEBUG requests), and cut or extended now and then.
 * Built independently of the transport under test.
 */
public final class RandomRxDatagrams {
    private static final int[] SMALL_WORDS = {0, 1, 2, 3, 4, 31, 32, 33, 255, 256, 65535, 65536};
    private static final int[] EDGE_WORDS = {
        0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0x40000000
    };
    private static final int[] TELLING_FLAGS = {
        0x01, 0x05, 0x03, 0x07, 0x21, 0x23, 0x25, 0x09, 0x00, 0x04, 0x20, 0x24, 0x02
    };

    private RandomRxDatagrams() {}

    /** The index of the weight chosen, each in proportion to its weight. */
    public static int weighted(Random r, int... weights) {
        int total = 0;
        for (int w : weights) total += w;
        int x = r.nextInt(total);
        for (int i = 0; ; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
    }

    /** An int in [min, max]. */
    public static int between(Random r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }

    /** One of {@code values}. */
    public static int oneOf(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }

    /** {@code n} random bytes. */
    public static byte[] bytesOf(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** Random bytes, [min, max] of them, short lengths as likely as long ones. */
    public static byte[] bytesBetween(Random r, int min, int max) {
        return bytesOf(r, between(r, min, max));
    }

    /** Any byte string up to {@code max} bytes, most of them short (a header or a little more). */
    public static byte[] bytes(Random r, int max) {
        switch (weighted(r, 6, 2, 1)) {
            case 0:
                return bytesBetween(r, 0, 80);
            case 1:
                return bytesBetween(r, 28, 200);
            default:
                return bytesBetween(r, 0, max);
        }
    }

    /** A 32-bit field: edges of the unsigned and signed ranges, small numbers, anything. */
    public static int word(Random r) {
        switch (weighted(r, 3, 3, 4)) {
            case 0:
                return oneOf(r, SMALL_WORDS);
            case 1:
                return oneOf(r, EDGE_WORDS);
            default:
                return r.nextInt();
        }
    }

    /** A sequence number: mostly small (1..40), else a {@link #word}. */
    public static int seq(Random r) {
        return weighted(r, 6, 4) == 0 ? between(r, 1, 40) : word(r);
    }

    /** A packet type: every defined one and some that are not. */
    public static int type(Random r) {
        switch (weighted(r, 8, 4, 1)) {
            case 0:
                return between(r, 1, 5);
            case 1:
                return between(r, 0, 14);
            default:
                return between(r, 0, 255);
        }
    }

    /** Header flags: the combinations that matter, or any byte. */
    public static int flags(Random r) {
        return weighted(r, 6, 2) == 0 ? oneOf(r, TELLING_FLAGS) : between(r, 0, 255);
    }

    /** A service id: {@code listened} mostly, then 0, the ends of the range and anything. */
    public static int serviceId(Random r, int listened) {
        switch (weighted(r, 6, 2, 1)) {
            case 0:
                return listened;
            case 1:
                return oneOf(r, 0, 1, 147, 65535);
            default:
                return between(r, 0, 65535);
        }
    }

    /** A header; the call number and seq lean to what starts a call. */
    public static RawPacket header(Random r, int listenedService) {
        int epoch = word(r);
        int cid = word(r);
        int callNumber = weighted(r, 6, 4) == 0 ? between(r, 1, 4) : word(r);
        int seq = seq(r);
        int serial = word(r);
        int type = type(r);
        int flags = flags(r);
        int userStatus = weighted(r, 8, 2) == 0 ? 0 : between(r, 0, 255);
        int securityIndex = weighted(r, 8, 2) == 0 ? 0 : oneOf(r, 1, 2, 3, 4, 5, 6, 255);
        int checksum = weighted(r, 8, 2) == 0 ? 0 : between(r, 0, 65535);
        int service = serviceId(r, listenedService);
        return new RawPacket(
                epoch, cid, callNumber, seq, serial, type, flags, userStatus, securityIndex, checksum, service, null);
    }

    /**
     * A whole datagram: a {@link #header} with a body for its type, then, one time in ten, cut short or
     * extended with random bytes.
     */
    public static byte[] datagram(Random r, int listenedService) {
        RawPacket h = header(r, listenedService);
        byte[] d = withBody(h, body(r, h));
        switch (r.nextInt(10)) {
            case 0:
                return Arrays.copyOf(d, Math.min(d.length, between(r, 0, 1 << 14) % (d.length + 1)));
            case 1:
                return concat(d, bytesBetween(r, 0, 64));
            default:
                return d;
        }
    }

    /** A body that makes sense for the header's type (and often for the type it might be mistaken for). */
    public static byte[] body(Random r, RawPacket h) {
        switch (h.type()) {
            case RawPacket.TYPE_DATA:
                return (h.flags() & RawPacket.FLAG_JUMBO_PACKET) != 0 ? jumboBody(r) : payload(r);
            case RawPacket.TYPE_ACK:
                return ackBody(r);
            case RawPacket.TYPE_ABORT:
                return RawRxSocket.abortBody(word(r));
            case RawPacket.TYPE_DEBUG:
                return ByteBuffer.allocate(8)
                        .putInt(between(r, -1, 7))
                        .putInt(word(r))
                        .array();
            case RawPacket.TYPE_VERSION:
                switch (weighted(r, 3, 3, 2)) {
                    case 0:
                        return new byte[0];
                    case 1:
                        return new byte[1];
                    default:
                        return bytesBetween(r, 0, 70);
                }
            default:
                return weighted(r, 3, 2) == 0 ? new byte[0] : bytesBetween(r, 0, 64);
        }
    }

    /** A DATA payload: empty, small or up to a full packet. */
    public static byte[] payload(Random r) {
        return weighted(r, 3, 1) == 0 ? bytesBetween(r, 0, 32) : bytesBetween(r, 0, PacketRules.JUMBO_DATA + 4);
    }

    /**
     * The body after a JUMBO-flagged header: 1..5 more sub-packets, each a 1412-byte payload and a jumbo
     * header whose flags are right (JUMBO on all but the last, LAST maybe on the last) or not.
     */
    public static byte[] jumboBody(Random r) {
        int more = between(r, 1, 5);
        int mistake = r.nextInt(10);
        byte[] tail = weighted(r, 6, 1) == 0 ? bytesBetween(r, 0, PacketRules.JUMBO_DATA) : bytesBetween(r, 0, 16);
        ByteBuffer b = ByteBuffer.allocate(more * (PacketRules.JUMBO_DATA + PacketRules.JUMBO_HEADER) + tail.length);
        for (int i = 0; i < more; i++) {
            b.position(b.position() + PacketRules.JUMBO_DATA);
            int subFlags = weighted(r, 6, 2) == 0 ? oneOf(r, 0x01, 0x05) : between(r, 0, 255);
            int f = subFlags & ~RawPacket.FLAG_JUMBO_PACKET;
            if (i < more - 1) f |= RawPacket.FLAG_JUMBO_PACKET;
            if (mistake == 0 && i == more - 1) f |= RawPacket.FLAG_JUMBO_PACKET; // says more follow
            b.put((byte) f).put((byte) 0).putShort((short) 0);
        }
        b.put(tail);
        byte[] d = b.array();
        // A sub-packet short or long of 1412 here and there.
        if (mistake == 1) return Arrays.copyOf(d, Math.max(0, d.length - between(r, 0, PacketRules.JUMBO_DATA) - 1));
        return d;
    }

    /** An ACK body: the fixed part, 0..255 soft ACKs, then 0..4 trailer words, sometimes cut anywhere. */
    public static byte[] ackBody(Random r) {
        int first = word(r);
        int previous = word(r);
        int serial = word(r);
        int reason = weighted(r, 6, 1) == 0 ? between(r, 1, 9) : between(r, 0, 255);
        byte[] soft;
        if (weighted(r, 4, 1) == 0) {
            soft = new byte[between(r, 0, 8)];
            for (int i = 0; i < soft.length; i++) soft[i] = (byte) r.nextInt(2);
        } else {
            soft = bytesBetween(r, 0, 255);
        }
        int[] trailer = new int[between(r, 0, 4)];
        for (int i = 0; i < trailer.length; i++) trailer[i] = word(r);
        byte[] body = RawRxSocket.ackBody(first, previous, serial, reason, soft, trailer);
        if (r.nextInt(8) == 0) return Arrays.copyOf(body, Math.max(0, body.length - 1 - (serial & 15)));
        return body;
    }

    /** The header {@code h} followed by {@code body}. */
    public static byte[] withBody(RawPacket h, byte[] body) {
        return new RawPacket(
                        h.epoch(),
                        h.cid(),
                        h.callNumber(),
                        h.seq(),
                        h.serial(),
                        h.type(),
                        h.flags(),
                        h.userStatus(),
                        h.securityIndex(),
                        h.checksum(),
                        h.serviceId(),
                        body)
                .toBytes();
    }

    /** {@code a} then {@code b}. */
    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
