package org.rxrpc.transport.testutil;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of Rx datagrams for the fuzz properties: plain byte strings, and datagrams built on
 * the wire format (rx-protocol.md) whose fields lean towards the values decoders get wrong (0, 1, the
 * sign bit, all ones, the first-packet limit 32, a listened service and service 0), with bodies made
 * for their type (jumbograms, ACK arrays and trailers, ABORT codes, DEBUG requests), and cut or extended
 * now and then. Built independently of the transport under test.
 */
public final class RxArbitraries {
    private RxArbitraries() {}

    /** Any byte string up to {@code max} bytes, most of them short (a header or a little more). */
    public static Arbitrary<byte[]> bytes(int max) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(80)),
                Tuple.of(
                        2, Arbitraries.bytes().array(byte[].class).ofMinSize(28).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(max)));
    }

    /** A 32-bit field: edges of the unsigned and signed ranges, small numbers, anything. */
    public static Arbitrary<Integer> word() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0, 1, 2, 3, 4, 31, 32, 33, 255, 256, 65535, 65536)),
                Tuple.of(
                        3,
                        Arbitraries.of(
                                0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0x40000000)),
                Tuple.of(4, Arbitraries.integers()));
    }

    /** A sequence number: mostly small (1..40), else a {@link #word()}. */
    public static Arbitrary<Integer> seq() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 40)), Tuple.of(4, word()));
    }

    /** A packet type: every defined one and some that are not. */
    public static Arbitrary<Integer> type() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(1, 5)),
                Tuple.of(4, Arbitraries.integers().between(0, 14)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
    }

    /** Header flags: the combinations that matter, or any byte. */
    public static Arbitrary<Integer> flags() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        6,
                        Arbitraries.of(0x01, 0x05, 0x03, 0x07, 0x21, 0x23, 0x25, 0x09, 0x00, 0x04, 0x20, 0x24, 0x02)),
                Tuple.of(2, Arbitraries.integers().between(0, 255)));
    }

    /** A service id: {@code listened} mostly, then 0, the ends of the range and anything. */
    public static Arbitrary<Integer> serviceId(int listened) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(listened)),
                Tuple.of(2, Arbitraries.of(0, 1, 147, 65535)),
                Tuple.of(1, Arbitraries.integers().between(0, 65535)));
    }

    /** A header; {@code callNumber} and {@code seq} lean to what starts a call. */
    public static Arbitrary<RawPacket> header(int listenedService) {
        Arbitrary<Integer> securityIndex = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(0)), Tuple.of(2, Arbitraries.of(1, 2, 3, 4, 5, 6, 255)));
        Arbitrary<Integer> callNumber =
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.integers().between(1, 4)), Tuple.of(4, word()));
        Arbitrary<int[]> ids = Combinators.combine(word(), word(), callNumber, seq(), word())
                .as((epoch, cid, call, seq, serial) -> new int[] {epoch, cid, call, seq, serial});
        Arbitrary<int[]> small = Combinators.combine(
                        type(),
                        flags(),
                        Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.just(0)),
                                Tuple.of(2, Arbitraries.integers().between(0, 255))),
                        securityIndex,
                        Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.just(0)),
                                Tuple.of(2, Arbitraries.integers().between(0, 65535))),
                        serviceId(listenedService))
                .as((type, flags, user, sec, cksum, service) -> new int[] {type, flags, user, sec, cksum, service});
        return Combinators.combine(ids, small)
                .as((i, s) -> new RawPacket(i[0], i[1], i[2], i[3], i[4], s[0], s[1], s[2], s[3], s[4], s[5], null));
    }

    /**
     * A whole datagram: a {@link #header} with a body for its type, then, one time in ten, cut short or
     * extended with random bytes.
     */
    public static Arbitrary<byte[]> datagram(int listenedService) {
        Arbitrary<byte[]> whole = header(listenedService).flatMap(h -> body(h).map(body -> withBody(h, body)));
        return Combinators.combine(
                        whole,
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(0, 1 << 14),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((d, damage, cut, extra) -> {
                    if (damage == 0) return java.util.Arrays.copyOf(d, Math.min(d.length, cut % (d.length + 1)));
                    if (damage == 1) return concat(d, extra);
                    return d;
                });
    }

    /** A body that makes sense for the header's type (and often for the type it might be mistaken for). */
    public static Arbitrary<byte[]> body(RawPacket h) {
        switch (h.type()) {
            case RawPacket.TYPE_DATA:
                return (h.flags() & RawPacket.FLAG_JUMBO_PACKET) != 0 ? jumboBody() : payload();
            case RawPacket.TYPE_ACK:
                return ackBody();
            case RawPacket.TYPE_ABORT:
                return word().map(RawRxSocket::abortBody);
            case RawPacket.TYPE_DEBUG:
                return Combinators.combine(Arbitraries.integers().between(-1, 7), word())
                        .as((type, index) -> ByteBuffer.allocate(8)
                                .putInt(type)
                                .putInt(index)
                                .array());
            case RawPacket.TYPE_VERSION:
                return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(new byte[0])),
                        Tuple.of(3, Arbitraries.just(new byte[1])),
                        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(70)));
            default:
                return Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.just(new byte[0])),
                        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
        }
    }

    /** A DATA payload: empty, small or up to a full packet. */
    public static Arbitrary<byte[]> payload() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMaxSize(32)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(PacketRules.JUMBO_DATA + 4)));
    }

    /**
     * The body after a JUMBO-flagged header: 1..5 more sub-packets, each a 1412-byte payload and a jumbo
     * header whose flags are right (JUMBO on all but the last, LAST maybe on the last) or not.
     */
    public static Arbitrary<byte[]> jumboBody() {
        Arbitrary<Integer> subFlags = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(0x01, 0x05)),
                Tuple.of(2, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> last = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(PacketRules.JUMBO_DATA)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(16)));
        return Combinators.combine(
                        Arbitraries.integers().between(1, 5),
                        subFlags.list().ofSize(5),
                        Arbitraries.integers().between(0, 9),
                        last,
                        Arbitraries.integers().between(0, PacketRules.JUMBO_DATA))
                .as((more, flags, mistake, tail, shortBy) -> {
                    ByteBuffer b = ByteBuffer.allocate(
                            more * (PacketRules.JUMBO_DATA + PacketRules.JUMBO_HEADER) + tail.length);
                    for (int i = 0; i < more; i++) {
                        b.position(b.position() + PacketRules.JUMBO_DATA);
                        int f = flags.get(i) & ~RawPacket.FLAG_JUMBO_PACKET;
                        if (i < more - 1) f |= RawPacket.FLAG_JUMBO_PACKET;
                        if (mistake == 0 && i == more - 1) f |= RawPacket.FLAG_JUMBO_PACKET; // says more follow
                        b.put((byte) f).put((byte) 0).putShort((short) 0);
                    }
                    b.put(tail);
                    byte[] d = b.array();
                    // A sub-packet one byte short or long of 1412 here and there.
                    if (mistake == 1) return java.util.Arrays.copyOf(d, Math.max(0, d.length - shortBy - 1));
                    return d;
                });
    }

    /** An ACK body: the fixed part, 0..255 soft ACKs, then 0..4 trailer words, sometimes cut anywhere. */
    public static Arbitrary<byte[]> ackBody() {
        Arbitrary<Integer> reason = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(1, 9)),
                Tuple.of(1, Arbitraries.integers().between(0, 255)));
        Arbitrary<byte[]> acks = Arbitraries.frequencyOf(
                Tuple.of(
                        4,
                        Arbitraries.bytes()
                                .between((byte) 0, (byte) 1)
                                .array(byte[].class)
                                .ofMaxSize(8)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(255)));
        Arbitrary<List<Integer>> trailer = word().list().ofMaxSize(4);
        return Combinators.combine(
                        word(),
                        word(),
                        word(),
                        reason,
                        acks,
                        trailer,
                        Arbitraries.integers().between(0, 7))
                .as((first, previous, serial, why, soft, words, cut) -> {
                    int[] t = words.stream().mapToInt(Integer::intValue).toArray();
                    byte[] body = RawRxSocket.ackBody(first, previous, serial, why, soft, t);
                    if (cut == 0) return java.util.Arrays.copyOf(body, Math.max(0, body.length - 1 - (serial & 15)));
                    return body;
                });
    }

    static byte[] withBody(RawPacket h, byte[] body) {
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
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
