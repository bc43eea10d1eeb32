package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.between;
import static org.rxrpc.transport.testutil.RandomRxDatagrams.bytesBetween;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.testutil.Jumbograms;
import org.rxrpc.transport.testutil.RandomRxDatagrams;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;
import org.rxrpc.transport.testutil.SeededTries;

/**
 * The decoders of the packets of a live call, on a real endpoint (its I/O thread runs the real
 * {@link Input}; the test plays the client with raw datagrams): DATA and jumbograms round-trip a message
 * exactly whatever the cut and the order, and a malformed one changes nothing; an ABORT ends the call
 * with its code, a short one changes nothing; BUSY and any ACK (random fields, soft-ACK array, trailer)
 * never break a call that is then finished properly. Seeded random cases: a new seed each run, printed;
 * {@code -Drxrpc.fuzz.seed=N} repeats one.
 */
class LiveCallPacketsAreDecodedOrChangeNothingTest {
    private static long seed;
    static final int SERVICE = 2001;
    static final int CID = 0x1234_5600;
    /** Data bytes of every packet of a jumbogram but its last. */
    static final int PACKET = 1412;

    private Endpoint endpoint;
    private EndpointInternals internals;
    private RxUserService service;
    private RawRxSocket client;
    private final UdpAddress from = new UdpAddress();
    private final AtomicInteger epochs = new AtomicInteger();
    private final AtomicInteger userIds = new AtomicInteger();
    private int serial;

    @BeforeAll
    static void seed() {
        seed = SeededTries.seed("live call packet properties");
    }

    @BeforeEach
    void open() throws Exception {
        endpoint =
                (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        internals = new EndpointInternals(endpoint);
        service = endpoint.listenUser(SERVICE, RxEndpoint.MAX_BACKLOG, true);
        client = RawRxSocket.open();
        from.set(client.address());
    }

    @AfterEach
    void close() {
        if (service != null) service.close();
        if (endpoint != null) endpoint.close();
        if (client != null) client.close();
    }

    // ---- DATA and jumbograms ----

    /**
     * A message cut into 1412-byte packets, grouped into jumbograms of 1..4, sent first datagram first
     * and the rest in any order with duplicates, reaches the service exactly.
     */
    @Test
    void aMessageInJumbogramsInAnyOrderArrivesExactly() {
        SeededTries.run(seed, 1, 300, random -> {
            int length = between(random, 0, 24 * PACKET);
            List<Integer> groups = new ArrayList<>();
            for (int i = 0; i < 24; i++) groups.add(between(random, 1, 4));
            byte[] message = new byte[length];
            random.nextBytes(message);
            int epoch = freshEpoch();
            List<byte[]> datagrams = cut(epoch, 1, message, groups, random);
            RxCall call = start(datagrams.get(0));
            List<byte[]> rest = new ArrayList<>(datagrams.subList(1, datagrams.size()));
            for (int i = 0, n = rest.size(); i < n; i++)
                if (random.nextInt(4) == 0) rest.add(rest.get(i)); // duplicates
            Collections.shuffle(rest, random);
            for (byte[] d : rest) internals.deliver(d, from);
            assertArrayEquals(message, call.receiveMessage(length + 1, 5, TimeUnit.SECONDS));
            call.close();
        });
    }

    /**
     * A DATA datagram wrong in its structure (a JUMBO sub-packet short of 1412 bytes, JUMBO and LAST
     * together, seqs wrapping through 0, seq 0) sent into a live call is counted as a drop, and the
     * message then completed properly arrives exactly: the bad datagram delivered nothing.
     */
    @Test
    void aMalformedDataDatagramChangesNothingInALiveCall() {
        SeededTries.run(seed, 2, 300, random -> {
            int how = between(random, 1, 4);
            int subPackets = between(random, 2, 4);
            byte[] message = new byte[3 * PACKET + 100];
            random.nextBytes(message);
            int epoch = freshEpoch();
            List<byte[]> datagrams = cut(epoch, 1, message, List.of(1, 1, 1, 1), random);
            RxCall call = start(datagrams.get(0));
            byte[] bad = jumbogram(epoch, 1, 2, garbage(subPackets, random), false);
            ByteBuffer b = ByteBuffer.wrap(bad);
            switch (how) {
                case 1: // the second-last sub-packet loses bytes, so a JUMBO-flagged one is short
                    bad = Arrays.copyOf(bad, bad.length - PACKET - 4 - 1 - random.nextInt(PACKET));
                    break;
                case 2: // the first sub-packet flagged JUMBO and LAST
                    bad[21] |= RawPacket.FLAG_LAST_PACKET;
                    break;
                case 3: // seqs wrapping through 0
                    b.putInt(12, -1 - random.nextInt(subPackets - 1));
                    break;
                default:
                    b.putInt(12, 0);
                    break;
            }
            EndpointInternals.Effect e = internals.deliver(bad, from);
            assertEquals(1, e.drops(), "counted as a drop: " + e.moved());
            assertEquals(0, e.delta(Counter.DATA_PACKETS_RECEIVED), "no sub-packet taken: " + e.moved());
            for (byte[] d : datagrams.subList(1, datagrams.size())) internals.deliver(d, from);
            assertArrayEquals(message, call.receiveMessage(message.length + 1, 5, TimeUnit.SECONDS));
            call.close();
        });
    }

    // ---- ABORT ----

    /** An ABORT with any code (and anything after it) ends the live call with that code. */
    @Test
    void anAbortEndsTheLiveCallWithItsCode() {
        SeededTries.run(seed, 3, 300, random -> {
            int code = random.nextInt();
            byte[] after = bytesBetween(random, 0, 8);
            int epoch = freshEpoch();
            RxCall call = start(data(epoch, 1, 1, 0, new byte[10]));
            byte[] abort = RawRxSocket.packet(header(epoch, 1, RawPacket.TYPE_ABORT, 0), RawRxSocket.abortBody(code));
            internals.deliver(RandomRxDatagrams.concat(abort, after), from);
            assertTrue(call.awaitCompletion(5, TimeUnit.SECONDS));
            assertEquals(CallState.REMOTELY_ABORTED, call.state());
            assertEquals(code, call.abortCode());
            call.close();
        });
    }

    /** An ABORT too short for its code is counted as a drop and leaves the call as it was. */
    @Test
    void aShortAbortChangesNothing() {
        SeededTries.run(seed, 4, 200, random -> {
            byte[] body = bytesBetween(random, 0, 3);
            int epoch = freshEpoch();
            byte[] message = new byte[50];
            random.nextBytes(message);
            RxCall call = start(data(epoch, 1, 1, 0, Arrays.copyOf(message, 20)));
            EndpointInternals.Effect e =
                    internals.deliver(RawRxSocket.packet(header(epoch, 1, RawPacket.TYPE_ABORT, 0), body), from);
            assertEquals(1, e.drops(), e.moved());
            assertEquals(CallState.SERVER_RECEIVING_REQUEST, call.state());
            internals.deliver(data(epoch, 1, 2, RawPacket.FLAG_LAST_PACKET, Arrays.copyOfRange(message, 20, 50)), from);
            assertArrayEquals(message, call.receiveMessage(100, 5, TimeUnit.SECONDS));
            call.close();
        });
    }

    // ---- BUSY and ACK ----

    /**
     * BUSY and any ACK at all (random fields, soft-ACK array and trailer, cut
     * anywhere) into a call sending its reply: nothing throws, each is counted, and a proper final ACK
     * then ends the call SUCCEEDED (or one of the random ACKs already did, legitimately).
     */
    @Test
    void anyAckOrBusyIntoACallSendingItsReplyLeavesItToFinishProperly() {
        SeededTries.run(seed, 5, 200, random -> {
            List<byte[]> acks = ackBodies(random);
            int busies = between(random, 0, 3);
            int epoch = freshEpoch();
            RxCall call = start(data(epoch, 1, 1, RawPacket.FLAG_LAST_PACKET, new byte[8]));
            assertEquals(8, call.receiveMessage(100, 5, TimeUnit.SECONDS).length);
            byte[] reply = new byte[3 * PACKET];
            random.nextBytes(reply);
            call.send(reply, 0, reply.length, true);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int lastSeq = receiveReply(got, 3);
            for (int i = 0; i < busies; i++) {
                EndpointInternals.Effect e =
                        internals.deliver(header(epoch, 1, RawPacket.TYPE_BUSY, RawPacket.FLAG_CLIENT_INITIATED), from);
                assertEquals(1, e.delta(Counter.BUSY_RECEIVED), e.moved());
            }
            for (byte[] body : acks) {
                byte[] ack = RawRxSocket.packet(
                        header(epoch, 1, RawPacket.TYPE_ACK, RawPacket.FLAG_CLIENT_INITIATED | random.nextInt(4) * 2),
                        body);
                EndpointInternals.Effect e = internals.deliver(ack, from);
                assertTrue(e.counted(), e.moved());
            }
            byte[] finalAck = RawRxSocket.packet(
                    header(epoch, 1, RawPacket.TYPE_ACK, RawPacket.FLAG_CLIENT_INITIATED),
                    RawRxSocket.ackBody(lastSeq + 1, lastSeq, 0, RawPacket.ACK_DELAY, new byte[0], 5692, 1444, 32, 4));
            internals.deliver(finalAck, from);
            assertTrue(call.awaitCompletion(5, TimeUnit.SECONDS), "the call ends: " + call.state());
            assertEquals(CallState.SUCCEEDED, call.state());
            assertArrayEquals(reply, Arrays.copyOf(got.toByteArray(), reply.length), "the reply went out exactly");
            call.close();
            drain();
        });
    }

    /** Up to 6 ACK bodies, each well-formed (maybe cut) or any bytes. */
    private static List<byte[]> ackBodies(Random random) {
        List<byte[]> acks = new ArrayList<>();
        for (int i = between(random, 0, 6); i > 0; i--) {
            acks.add(random.nextBoolean() ? RandomRxDatagrams.ackBody(random) : RandomRxDatagrams.bytes(random, 80));
        }
        return acks;
    }

    // ---- helpers ----

    /** Delivers a call's first datagram and accepts the call it makes. */
    private RxCall start(byte[] first) throws InterruptedException {
        EndpointInternals.Effect e = internals.deliver(first, from);
        assertEquals(1, e.delta(Counter.CALLS_MADE_LIVE), "the first packet makes a call: " + e.moved());
        RxCall call = service.accept(userIds.incrementAndGet(), null, 5, TimeUnit.SECONDS);
        assertNotNull(call);
        return call;
    }

    /** Reads the reply DATA packets the service sent to our client socket; returns the last seq. */
    private int receiveReply(ByteArrayOutputStream into, int packets) throws Exception {
        byte[][] bySeq = new byte[packets + 1][];
        int have = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (have < packets && System.nanoTime() < deadline) {
            byte[] d = client.receive(Duration.ofMillis(200));
            if (d == null) continue;
            RawPacket datagram = RawPacket.parse(d);
            if (datagram.type() != RawPacket.TYPE_DATA) continue;
            for (RawPacket p : Jumbograms.split(datagram)) {
                if (p.seq() < 1 || p.seq() > packets || bySeq[p.seq()] != null) continue;
                bySeq[p.seq()] = p.body();
                have++;
            }
        }
        assertEquals(packets, have, "reply packets received");
        for (int s = 1; s <= packets; s++) into.write(bySeq[s]);
        return packets;
    }

    /** Discards whatever the endpoint sent us. */
    private void drain() throws Exception {
        while (client.receive(Duration.ofMillis(1)) != null) {
            // discard
        }
    }

    private int freshEpoch() {
        return 0x80000000 | epochs.incrementAndGet();
    }

    private byte[] header(int epoch, int callNumber, int type, int flags) {
        return RawRxSocket.header(
                epoch, CID, callNumber, 0, ++serial, type, flags | RawPacket.FLAG_CLIENT_INITIATED, 0, 0, 0, SERVICE);
    }

    private byte[] data(int epoch, int callNumber, int seq, int flags, byte[] payload) {
        return RawRxSocket.data(
                epoch,
                CID,
                callNumber,
                seq,
                ++serial,
                flags | RawPacket.FLAG_CLIENT_INITIATED,
                0,
                0,
                0,
                SERVICE,
                payload);
    }

    /**
     * DATA datagrams of seqs {@code firstSeq}.. carrying {@code payloads}: a jumbogram if more than one
     * (every payload but the last must then be 1412 bytes); the last flagged LAST if {@code final_}.
     */
    private byte[] jumbogram(int epoch, int callNumber, int firstSeq, List<byte[]> payloads, boolean final_) {
        int n = payloads.size();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            body.writeBytes(payloads.get(i));
            if (i < n - 1) {
                int next = (i + 1 < n - 1 ? RawPacket.FLAG_JUMBO_PACKET : 0)
                        | (i + 1 == n - 1 && final_ ? RawPacket.FLAG_LAST_PACKET : 0)
                        | RawPacket.FLAG_CLIENT_INITIATED;
                body.write(next);
                body.write(0);
                body.write(0);
                body.write(0);
            }
        }
        int flags = (n > 1 ? RawPacket.FLAG_JUMBO_PACKET : 0) | (n == 1 && final_ ? RawPacket.FLAG_LAST_PACKET : 0);
        int s = serial;
        serial += n;
        return RawRxSocket.data(
                epoch,
                CID,
                callNumber,
                firstSeq,
                s + 1,
                flags | RawPacket.FLAG_CLIENT_INITIATED,
                0,
                0,
                0,
                SERVICE,
                body.toByteArray());
    }

    /** The message cut into 1412-byte packets (the last shorter), grouped by {@code groups}. */
    private List<byte[]> cut(int epoch, int callNumber, byte[] message, List<Integer> groups, Random random) {
        List<byte[]> packets = new ArrayList<>();
        for (int at = 0; at < message.length || packets.isEmpty(); at += PACKET) {
            packets.add(Arrays.copyOfRange(message, at, Math.min(message.length, at + PACKET)));
            if (at + PACKET == message.length) break;
        }
        // A message that is a whole number of packets still ends with a full last packet, not an empty one.
        List<byte[]> datagrams = new ArrayList<>();
        int seq = 1;
        for (int g = 0; seq <= packets.size(); g++) {
            int size = Math.min(groups.get(g % groups.size()), packets.size() - seq + 1);
            List<byte[]> group = packets.subList(seq - 1, seq - 1 + size);
            datagrams.add(jumbogram(epoch, callNumber, seq, group, seq - 1 + size == packets.size()));
            seq += size;
        }
        return datagrams;
    }

    private static List<byte[]> garbage(int n, Random random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[PACKET];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }
}
