package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.testutil.RandomRxDatagrams;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;
import org.rxrpc.transport.testutil.SeededTries;

/**
 * The connectionless packets, VERSION and DEBUG (rxdebug), over real UDP to a real endpoint: a request
 * gets at most one answer (a rate limit or an access rule may refuse it), which echoes the request's
 * header with CLIENT_INITIATED cleared and carries the body rxdebug expects (65 bytes of text; the raw
 * struct of the DEBUG type asked for, or -8 -8 for an unknown type); anything that is not a request gets
 * nothing; and none of them leaves a peer, a connection or a call behind. Seeded random cases: a new seed
 * each run, printed; {@code -Drxrpc.fuzz.seed=N} repeats one.
 */
class VersionAndDebugPacketsGetAtMostOneAnswerTest {
    static final int SERVICE = 2002;
    private static long seed;
    /** DEBUG reply bodies by type (rx-protocol.md §5.5); any other type gets RX_DEBUGI_BADTYPE twice. */
    static final Map<Integer, Integer> DEBUG_SIZES = Map.of(1, 56, 2, 176, 3, 176, 4, 284, 5, 132);

    private Endpoint endpoint;
    private EndpointInternals internals;
    private RxUserService service;
    private RawRxSocket raw;

    @BeforeAll
    static void seed() {
        seed = SeededTries.seed("VERSION and DEBUG properties");
    }

    @BeforeEach
    void open() throws Exception {
        // The highest rate limit: most requests are answered, so most tries check an answer.
        endpoint = (Endpoint) new RxTransportImpl()
                .open(EndpointOptions.defaults().withBind("127.0.0.1", 0).toBuilder()
                        .debugAnswersPerSecond(1000)
                        .build());
        internals = new EndpointInternals(endpoint);
        service = endpoint.listenUser(SERVICE, RxEndpoint.MAX_BACKLOG, true);
        raw = RawRxSocket.open();
    }

    @AfterEach
    void close() {
        if (service != null) service.close();
        if (endpoint != null) endpoint.close();
        if (raw != null) raw.close();
    }

    @Test
    void aVersionRequestGetsAtMostOneReplyEchoingItsHeader() {
        SeededTries.run(seed, 1, 500, r -> {
            byte[] request = versionRequest(r);
            Exchange x = exchange(request);
            if (x.reply == null) {
                assertEquals(0, x.delta(Counter.VERSION_REQUESTS_ANSWERED), "no reply, none counted as sent");
                assertTrue(x.counted(), "a refused request is counted");
                return;
            }
            assertEquals(1, x.delta(Counter.VERSION_REQUESTS_ANSWERED));
            assertEchoed(request, x.reply, RawPacket.TYPE_VERSION);
            byte[] text = RawPacket.parse(x.reply).body();
            assertEquals(65, text.length, "VERSION replies carry 65 bytes");
            int end = 0;
            while (end < text.length && text[end] != 0) end++;
            assertTrue(end > 0, "some text");
            for (int i = end; i < text.length; i++) assertEquals(0, text[i], "NUL-padded");
        });
    }

    @Test
    void aVersionPacketThatIsNoRequestGetsNothing() {
        SeededTries.run(seed, 2, 300, r -> {
            byte[] packet = versionOther(r);
            Exchange x = exchange(packet);
            assertNull(x.reply, "no answer to a VERSION reply or keepalive");
            assertEquals(0, x.delta(Counter.VERSION_REQUESTS_ANSWERED));
        });
    }

    @Test
    void aDebugRequestGetsAtMostOneReplyOfTheStructAskedFor() {
        SeededTries.run(seed, 3, 500, r -> {
            byte[] request = debugRequest(r);
            Exchange x = exchange(request);
            if (x.reply == null) {
                assertEquals(0, x.delta(Counter.DEBUG_REQUESTS_ANSWERED), "no reply, none counted as sent");
                assertTrue(x.counted(), "a refused request is counted");
                return;
            }
            assertEquals(1, x.delta(Counter.DEBUG_REQUESTS_ANSWERED));
            assertEchoed(request, x.reply, RawPacket.TYPE_DEBUG);
            int type = ByteBuffer.wrap(request).getInt(RawPacket.HEADER_SIZE);
            ByteBuffer body = ByteBuffer.wrap(RawPacket.parse(x.reply).body());
            Integer size = DEBUG_SIZES.get(type);
            if (size == null) {
                assertEquals(8, body.capacity(), "an unknown type: RX_DEBUGI_BADTYPE twice");
                assertEquals(-8, body.getInt(0));
                assertEquals(-8, body.getInt(4));
                return;
            }
            assertEquals(size, body.capacity(), "the struct of type " + type);
            if (type == 1) assertEquals('S', body.get(14), "GETSTATS says version 'S'");
            if (type == 2 || type == 3) assertEquals(0xFFFFFFFF, body.getInt(4), "the end of the connection list");
            if (type == 5) assertEquals(0xFFFFFFFF, body.getInt(0), "the end of the peer list");
        });
    }

    @Test
    void aDebugPacketThatIsNoRequestGetsNothingAndIsCounted() {
        SeededTries.run(seed, 4, 300, r -> {
            byte[] packet = debugOther(r);
            Exchange x = exchange(packet);
            assertNull(x.reply, "no answer to a DEBUG reply or a short request");
            assertEquals(1, x.drops(), "counted as a drop");
        });
    }

    // ---- generators ----

    /** A header of type {@code type}, CLIENT_INITIATED as asked, every other field anything. */
    private static RawPacket header(Random r, int type, boolean clientInitiated) {
        RawPacket h = RandomRxDatagrams.header(r, SERVICE);
        return new RawPacket(
                h.epoch(),
                h.cid(),
                h.callNumber(),
                h.seq(),
                h.serial(),
                type,
                clientInitiated
                        ? h.flags() | RawPacket.FLAG_CLIENT_INITIATED
                        : h.flags() & ~RawPacket.FLAG_CLIENT_INITIATED,
                h.userStatus(),
                h.securityIndex(),
                h.checksum(),
                h.serviceId(),
                null);
    }

    private static byte[] with(RawPacket h, byte[] body) {
        return RawRxSocket.packet(h.toBytes(), body);
    }

    /** A VERSION request: CLIENT_INITIATED, and an empty body or one starting with 0. */
    private static byte[] versionRequest(Random r) {
        RawPacket h = header(r, RawPacket.TYPE_VERSION, true);
        byte[] body = RandomRxDatagrams.weighted(r, 2, 3) == 0
                ? new byte[0]
                : RandomRxDatagrams.concat(new byte[1], RandomRxDatagrams.bytesBetween(r, 0, 80));
        return with(h, body);
    }

    /** A VERSION packet that is no request: from the server end, or a body starting with 1..127. */
    private static byte[] versionOther(Random r) {
        if (r.nextBoolean()) {
            return with(header(r, RawPacket.TYPE_VERSION, false), RandomRxDatagrams.bytesBetween(r, 0, 80));
        }
        byte[] first = {(byte) RandomRxDatagrams.between(r, 1, 127)};
        return with(
                header(r, RawPacket.TYPE_VERSION, true),
                RandomRxDatagrams.concat(first, RandomRxDatagrams.bytesBetween(r, 0, 80)));
    }

    /** A DEBUG request: a type (mostly a known one) and an index, maybe more bytes after. */
    private static byte[] debugRequest(Random r) {
        RawPacket h = header(r, RawPacket.TYPE_DEBUG, true);
        int type = RandomRxDatagrams.weighted(r, 6, 1) == 0
                ? RandomRxDatagrams.between(r, 0, 6)
                : RandomRxDatagrams.word(r);
        int index = RandomRxDatagrams.word(r);
        byte[] body = RandomRxDatagrams.concat(
                ByteBuffer.allocate(8).putInt(type).putInt(index).array(), RandomRxDatagrams.bytesBetween(r, 0, 16));
        return with(h, body);
    }

    /** A DEBUG packet that is no request: too short, or from the server end. */
    private static byte[] debugOther(Random r) {
        if (r.nextBoolean()) {
            return with(header(r, RawPacket.TYPE_DEBUG, true), RandomRxDatagrams.bytesBetween(r, 0, 7));
        }
        return with(header(r, RawPacket.TYPE_DEBUG, false), RandomRxDatagrams.bytesBetween(r, 0, 40));
    }

    // ---- one exchange over UDP ----

    /** What one datagram got back, and how the endpoint's counters and state moved. */
    private record Exchange(byte[] reply, EndpointInternals.Effect effect) {
        long delta(Counter c) {
            return effect.delta(c);
        }

        long drops() {
            return effect.drops();
        }

        boolean counted() {
            return effect.counted();
        }
    }

    /**
     * Sends {@code datagram} to the endpoint, waits until it has been handled (counted as received),
     * and collects what came back: at most one datagram, or the test fails.
     */
    private Exchange exchange(byte[] datagram) throws Exception {
        EndpointInternals.State before = internals.state();
        raw.send(endpoint.localAddress(), datagram);
        long deadline = System.nanoTime() + 5_000_000_000L;
        EndpointInternals.State after;
        while ((after = internals.state()).get(Counter.DATAGRAMS_RECEIVED)
                < before.get(Counter.DATAGRAMS_RECEIVED) + 1) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("the endpoint did not receive the datagram");
            Thread.onSpinWait();
        }
        // Anything the endpoint answered was sent while it handled the datagram: it is here already.
        byte[] reply = raw.receive(Duration.ofMillis(2));
        if (reply != null) assertNull(raw.receive(Duration.ofMillis(1)), "at most one answer");
        EndpointInternals.Effect e = new EndpointInternals.Effect(before, after);
        assertEquals(1, e.delta(Counter.DATAGRAMS_RECEIVED));
        assertTrue(!e.createdCallState(), "no call state from a connectionless packet: " + e.moved());
        assertEquals(reply == null ? 0 : 1, e.delta(Counter.DATAGRAMS_SENT), "what was sent is what we got");
        return new Exchange(reply, e);
    }

    /** The reply's header is the request's with CLIENT_INITIATED cleared. */
    private static void assertEchoed(byte[] request, byte[] reply, int type) {
        RawPacket q = RawPacket.parse(request);
        RawPacket a = RawPacket.parse(reply);
        assertEquals(type, a.type());
        assertEquals(q.flags() & ~RawPacket.FLAG_CLIENT_INITIATED, a.flags(), "flags echoed, CLIENT_INITIATED cleared");
        assertArrayEquals(
                new int[] {q.epoch(), q.cid(), q.callNumber(), q.serviceId()},
                new int[] {a.epoch(), a.cid(), a.callNumber(), a.serviceId()},
                "epoch, cid, call number and service echoed");
    }
}
