package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.testutil.PacketRules;
import org.rxrpc.transport.testutil.PacketRules.Verdict;
import org.rxrpc.transport.testutil.RandomRxDatagrams;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;
import org.rxrpc.transport.testutil.SeededTries;

/**
 * Every datagram decoder behind {@link Input#datagram} at once (header, DATA and jumbograms, ACK body
 * and trailer, ABORT, BUSY, ACKALL, VERSION, DEBUG; CHALLENGE and RESPONSE do not exist yet and must be
 * refused), driven on a real endpoint's I/O thread with a service listening: whatever the bytes, the
 * decoder throws nothing and reads nothing past the datagram, the datagram is counted as received and
 * either rejected and counted, or answered, or routed; and nothing but a valid first DATA packet
 * ({@link PacketRules#validFirstData}) creates call state (a peer, a connection, a live call, a kept
 * first packet). Seeded random cases: a new seed each run, printed; {@code -Drxrpc.fuzz.seed=N} repeats one.
 */
class AnyDatagramIsRejectedAndCountedOrHandledTest {
    static final int SERVICE = 2000;
    private static long seed;

    private Endpoint endpoint;
    private EndpointInternals internals;
    private RxUserService service;
    private DatagramSocket sink;
    private final UdpAddress from = new UdpAddress();
    private final java.util.concurrent.atomic.AtomicInteger freshEpoch =
            new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void seed() {
        seed = SeededTries.seed("datagram decoding properties");
    }

    @BeforeEach
    void open() throws Exception {
        endpoint =
                (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        internals = new EndpointInternals(endpoint);
        service = endpoint.listenUser(SERVICE, RxEndpoint.MAX_BACKLOG, true);
        // Answers go to a socket of ours that nobody reads: the kernel drops them once it is full.
        sink = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        from.set((InetSocketAddress) sink.getLocalSocketAddress());
    }

    @AfterEach
    void close() {
        if (service != null) service.close();
        if (endpoint != null) endpoint.close();
        if (sink != null) sink.close();
        assertFalse(internals.ioThread().isAlive(), "the I/O thread ended with its endpoint");
    }

    @Test
    void anyByteStringIsRejectedAndCountedOrHandledNeverAnException() {
        SeededTries.run(seed, 1, 2000, r -> check(RandomRxDatagrams.bytes(r, 6000)));
    }

    @Test
    void anyRxShapedDatagramIsRejectedAndCountedOrHandledNeverAnException() {
        SeededTries.run(seed, 2, 3000, r -> check(RandomRxDatagrams.datagram(r, SERVICE)));
    }

    /**
     * A valid first packet, and the same packet wrong in one respect (a later seq, a high seq, from the
     * server end, another type, service 0 or unknown, a security class, call 0, a broken jumbogram): only
     * the first makes a call.
     */
    @Test
    void onlyAValidFirstDataPacketCreatesCallState() {
        SeededTries.run(seed, 3, 1500, r -> {
            // A connection never seen before (a known one would have this call already, or a later one).
            byte[] datagram = nearMiss(r);
            ByteBuffer.wrap(datagram).putInt(0, 0x80000000 | freshEpoch.incrementAndGet());
            EndpointInternals.Effect e = check(datagram);
            if (PacketRules.validFirstData(datagram, SERVICE)) {
                assertTrue(
                        e.delta(Counter.CALLS_MADE_LIVE) == 1
                                || e.delta(Counter.CALLS_DEFERRED) == 1
                                || e.delta(Counter.BUSY_SENT) == 1,
                        "a valid first packet makes a call, or is kept or answered BUSY: " + e.moved());
            }
        });
    }

    /** The contract for one datagram; returns its effect. */
    private EndpointInternals.Effect check(byte[] datagram) {
        EndpointInternals.Effect e = internals.deliver(datagram, from); // rethrows what the decoder throws
        String what = describe(datagram) + " -> " + e.moved();
        assertEquals(1, e.delta(Counter.DATAGRAMS_RECEIVED), what);
        Verdict v = PacketRules.judge(datagram);
        switch (v) {
            case MALFORMED:
            case SECURITY:
                assertTrue(
                        e.drops() == 1 || e.delta(Counter.CALLS_FOR_UNKNOWN_SERVICE) == 1 || e.abortsSent() == 1,
                        "rejected and counted: " + what);
                break;
            case VERSION_REQUEST:
                // Answered, or refused (a rate limit, a source not allowed): counted, and nothing sent.
                assertTrue(
                        e.delta(Counter.VERSION_REQUESTS_ANSWERED) == 1
                                || (e.counted() && e.delta(Counter.DATAGRAMS_SENT) == 0),
                        "answered or refused and counted: " + what);
                break;
            case DEBUG_REQUEST:
                assertTrue(
                        e.delta(Counter.DEBUG_REQUESTS_ANSWERED) == 1
                                || (e.counted() && e.delta(Counter.DATAGRAMS_SENT) == 0),
                        "answered or refused and counted: " + what);
                break;
            case VERSION_OTHER:
                break; // a reply or a keepalive: nothing to do
            case WELL_FORMED:
                assertTrue(e.counted(), "a well-formed datagram has a counted outcome: " + what);
                break;
        }
        if (e.createdCallState()) {
            assertTrue(
                    PacketRules.validFirstData(datagram, SERVICE),
                    "only a valid first DATA creates call state: " + what);
            // Keep the backlog charged (user-socket mode recharges on reject): every try meets the same service.
            while (service.pendingCalls() > 0) service.reject(0);
        }
        return e;
    }

    private static String describe(byte[] d) {
        if (d.length < RawPacket.HEADER_SIZE)
            return d.length + " bytes " + java.util.HexFormat.of().formatHex(d);
        RawPacket p = RawPacket.parse(d);
        String body = java.util.HexFormat.of().formatHex(p.body(), 0, Math.min(48, p.body().length));
        return PacketRules.judge(d) + " " + d.length + " bytes: "
                + p.toString().replaceFirst("body=.*", "body=" + body + (p.body().length > 48 ? "..." : "") + "]");
    }

    /** A valid first DATA packet, or one {@link #spoil spoiled}. */
    private static byte[] nearMiss(Random r) {
        int epoch = RandomRxDatagrams.word(r);
        int cid = RandomRxDatagrams.word(r);
        int call = RandomRxDatagrams.between(r, 1, 1000);
        byte[] payload = RandomRxDatagrams.payload(r);
        int flags = RandomRxDatagrams.oneOf(r, 0x01, 0x05, 0x03, 0x07, 0x0d);
        byte[] valid = RawRxSocket.data(epoch, cid, call, 1, 1, flags, 0, 0, 0, SERVICE, payload);
        return spoil(valid, RandomRxDatagrams.between(r, 0, 13), RandomRxDatagrams.word(r));
    }

    /** The valid first packet {@code d}, or spoiled in one respect chosen by {@code how}. */
    static byte[] spoil(byte[] d, int how, int value) {
        byte[] out = d.clone();
        ByteBuffer b = ByteBuffer.wrap(out);
        switch (how) {
            case 1: // a mid-call DATA packet of a call we do not have
                b.putInt(12, 2 + Math.floorMod(value, 40));
                break;
            case 2: // a seq with the sign bit set
                b.putInt(12, value | 0x80000000);
                break;
            case 3: // from the server end
                out[21] &= ~RawPacket.FLAG_CLIENT_INITIATED;
                break;
            case 4: // a PING for a call we do not have
                return RawRxSocket.packet(
                        header(b, RawPacket.TYPE_ACK, RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_REQUEST_ACK, 0),
                        RawRxSocket.ackBody(1, 0, 0, RawPacket.ACK_PING, new byte[0], 5692, 1444, 32, 4));
            case 5: // BUSY, ACKALL or ABORT naming a call we do not have
                return RawRxSocket.packet(
                        header(b, 3 + Math.floorMod(value, 3), RawPacket.FLAG_CLIENT_INITIATED, 0),
                        RawRxSocket.abortBody(value));
            case 6:
                b.putShort(26, (short) 0);
                break;
            case 7: // a service nobody listens on
                b.putShort(26, (short) (SERVICE + 1 + Math.floorMod(value, 100)));
                break;
            case 8: // a security class we do not offer
                out[23] = (byte) (1 + Math.floorMod(value, 6));
                break;
            case 9:
                b.putInt(8, 0);
                break;
            case 10: // says a jumbogram follows, but no sub-packet is 1412 bytes
                out[21] |= RawPacket.FLAG_JUMBO_PACKET;
                out[21] &= ~RawPacket.FLAG_LAST_PACKET;
                break;
            case 11: // seq 0
                b.putInt(12, 0);
                break;
            case 12: // not DATA at all: an unknown type, a CHALLENGE, a RESPONSE, PARAMS
                out[20] = (byte) new int[] {0, 6, 7, 9, 10, 11, 12, 14, 255}[Math.floorMod(value, 9)];
                break;
            default:
                break; // valid as it is
        }
        return out;
    }

    /** The header of {@code b} with another type, flags and seq. */
    private static byte[] header(ByteBuffer b, int type, int flags, int seq) {
        return RawRxSocket.header(
                b.getInt(0),
                b.getInt(4),
                b.getInt(8),
                seq,
                b.getInt(16),
                type,
                flags,
                0,
                0,
                0,
                b.getShort(26) & 0xffff);
    }
}
