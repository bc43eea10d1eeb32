package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.CallBench.MS;
import static org.rxrpc.transport.CallBench.T0;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.transport.testutil.Jumbograms;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.wire.Wire;

/**
 * The sending half of a call, driven directly (rx-protocol.md §3 and §8): what {@link Transmitter#pump}
 * sends for the windows, how ACKs move them (slow start, congestion avoidance, fast retransmit), the
 * retransmission timer and its backoff, jumbograms, and the requeue after BUSY. The test's thread is the
 * I/O thread and the clock is synthetic; every datagram is captured and read back with
 * {@link RawPacket}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransmitterTest {
    private static final int FULL = Wire.JUMBO_DATA_SIZE;

    private CallBench bench;

    private CallBench bench(int sendWindow) {
        bench = new CallBench(sendWindow, Wire.MAX_ACKS);
        return bench;
    }

    @AfterEach
    void close() {
        if (bench != null) bench.close();
    }

    // ---- windows ----

    @Test
    void aNewCallSendsNoMoreThanTheInitialCongestionWindowOfFourPackets() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 10);
        b.transmitter.pump(call, T0);

        List<RawPacket> sent = b.io.takePackets();
        assertEquals(List.of(1, 2, 3, 4), seqs(sent));
        for (RawPacket p : sent) {
            assertEquals(RawPacket.TYPE_DATA, p.type());
            assertTrue(p.isClientInitiated(), p.toString());
            assertFalse(p.hasFlags(RawPacket.FLAG_JUMBO_PACKET), "no jumbogram before the peer allows it");
            assertEquals(FULL, p.body().length);
            assertEquals((byte) p.seq(), p.body()[FULL - 1], "the packet's own bytes");
        }
        assertEquals(List.of(1, 2, 3, 4), sent.stream().map(RawPacket::serial).toList());
        assertEquals(4, call.inFlight);
        assertEquals(4, call.txTop);
        assertEquals(T0 + Peer.INITIAL_RTO_NANOS, call.rtoDeadline, "the retransmission timer runs");
        assertEquals(4, b.counters.get(Counter.DATA_PACKETS_SENT));
    }

    @Test
    void thePeersReceiveWindowFromItsAckTrailerLimitsThePacketsNotYetHardAcked() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 10);
        b.transmitter.pump(call, T0);
        b.io.take();

        // Packets 1-2 hard-ACKed, the peer takes 2 packets: 3-4 already fill that window.
        assertTrue(b.receiveAck(call, b.ack(3, "", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 2, 1), T0 + 10 * MS));
        assertEquals(2, call.txWindow);
        assertEquals(6, call.cwnd, "slow start grew the congestion window");
        assertEquals(List.of(), seqs(b.io.takePackets()));

        // 3-4 hard-ACKed: room for 5-6 only, although the congestion window is 8.
        assertTrue(b.receiveAck(call, b.ack(5, "", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 2, 1), T0 + 20 * MS));
        assertEquals(8, call.cwnd);
        assertEquals(List.of(5, 6), seqs(b.io.takePackets()));
    }

    @Test
    void theConfiguredSendWindowCapsWhatThePeerAllows() {
        CallBench b = bench(2);
        Call call = b.clientCall();
        b.queueFull(call, 10);
        b.transmitter.pump(call, T0);
        assertEquals(List.of(1, 2), seqs(b.io.takePackets()));

        assertTrue(b.receiveAck(call, b.ack(3, ""), T0 + 10 * MS)); // the peer says rwind 32
        assertEquals(List.of(3, 4), seqs(b.io.takePackets()));
    }

    // ---- congestion window ----

    @Test
    void slowStartGrowsTheCongestionWindowByEachPacketNewlyAcknowledgedSoftAcksCountingOnce() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 60);
        b.transmitter.pump(call, T0);
        assertEquals(4, b.io.take().size());

        assertTrue(b.receiveAck(call, b.ack(5, ""), T0 + 10 * MS));
        assertEquals(8, call.cwnd);
        assertEquals(range(5, 12), seqs(b.io.takePackets()));

        // 5-8 soft-ACKed: +4; then everything hard-ACKed: +4 more for 9-12 only.
        assertTrue(b.receiveAck(call, b.ack(5, "AAAA"), T0 + 20 * MS));
        assertEquals(12, call.cwnd);
        assertEquals(range(13, 20), seqs(b.io.takePackets()), "9-12 still in flight: 8 more");
        assertTrue(b.receiveAck(call, b.ack(13, ""), T0 + 30 * MS));
        assertEquals(16, call.cwnd);
        assertEquals(range(21, 28), seqs(b.io.takePackets()), "13-20 in flight: 8 more");
    }

    @Test
    void congestionAvoidanceGrowsTheWindowByOnePacketPerWindowOfPacketsAcknowledged() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        call.ssthresh = 4; // as after a loss: the window is at the threshold
        b.queueFull(call, 60);
        b.transmitter.pump(call, T0);
        assertEquals(4, b.io.take().size());

        assertTrue(b.receiveAck(call, b.ack(5, ""), T0 + 10 * MS)); // 4 acknowledged = one window
        assertEquals(5, call.cwnd);
        assertEquals(range(5, 9), seqs(b.io.takePackets()));

        assertTrue(b.receiveAck(call, b.ack(8, ""), T0 + 20 * MS)); // 3 of a window of 5
        assertEquals(5, call.cwnd);
        assertTrue(b.receiveAck(call, b.ack(10, ""), T0 + 30 * MS)); // 2 more: 5
        assertEquals(6, call.cwnd);
        assertEquals(0, call.caAcked);
    }

    // ---- loss ----

    @Test
    void threeAcksShowingANackBelowAnAckFastRetransmitTheHoleAndHalveTheWindow() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 4);
        b.transmitter.pump(call, T0);
        b.io.take();

        // 1 missing, 2-4 held by the peer: twice is not enough.
        assertTrue(b.receiveAck(call, b.ack(1, "NAAA"), T0 + 10 * MS));
        assertEquals(7, call.cwnd, "2-4 newly acknowledged (slow start)");
        assertTrue(b.receiveAck(call, b.ack(1, "NAAA"), T0 + 20 * MS));
        assertEquals(List.of(), seqs(b.io.takePackets()));
        assertEquals(0, b.counters.get(Counter.FAST_RETRANSMITS));

        assertTrue(b.receiveAck(call, b.ack(1, "NAAA"), T0 + 30 * MS));
        List<RawPacket> resent = b.io.takePackets();
        assertEquals(List.of(1), seqs(resent));
        assertTrue(resent.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK), "a retransmission asks for an ACK");
        assertEquals(1, b.counters.get(Counter.FAST_RETRANSMITS));
        assertEquals(1, b.counters.get(Counter.DATA_PACKETS_RETRANSMITTED));
        assertTrue(call.inRecovery);
        assertEquals(2, call.ssthresh, "max(in flight / 2, 2), in flight being 1");
        assertEquals(5, call.cwnd, "ssthresh + 3");

        // The hole filled, everything hard-ACKed: recovery ends at ssthresh.
        assertTrue(b.receiveAck(call, b.ack(5, ""), T0 + 50 * MS));
        assertFalse(call.inRecovery);
        assertEquals(2, call.cwnd);
        assertEquals(0, call.dupNacks);
    }

    @Test
    void nacksAboveTheHighestSoftAckAreNoSignOfLoss() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 4);
        b.transmitter.pump(call, T0);
        b.io.take();

        for (int i = 1; i <= 4; i++) assertTrue(b.receiveAck(call, b.ack(1, "AANN"), T0 + i * 10 * MS));
        assertEquals(0, call.dupNacks);
        assertEquals(0, b.counters.get(Counter.FAST_RETRANSMITS));
        assertEquals(List.of(), seqs(b.io.takePackets()));
        assertFalse(call.inRecovery);
    }

    @Test
    void aPacketThePeerSoftAckedAndThenNackedIsSentAgain() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 4);
        b.transmitter.pump(call, T0);
        b.io.take();

        assertTrue(b.receiveAck(call, b.ack(1, "AAAA"), T0 + 10 * MS));
        assertEquals(0, call.inFlight, "soft-ACKed packets are not in flight");
        assertEquals(List.of(), seqs(b.io.takePackets()));
        // The peer dropped packet 2 that it held (rx-protocol.md §4.2: an ACK may turn back into a NACK).
        assertTrue(b.receiveAck(call, b.ack(1, "ANAA"), T0 + 20 * MS));
        assertEquals(List.of(2), seqs(b.io.takePackets()));
    }

    @Test
    void theRetransmissionTimeoutResendsOnePacketAtATimeAndDoublesUntilAnAckArrives() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 4);
        b.transmitter.pump(call, T0);
        b.io.take();
        long rto = Peer.INITIAL_RTO_NANOS;
        assertEquals(T0 + rto, call.rtoDeadline);

        long now = T0 + rto;
        b.transmitter.rtoExpired(call, now);
        List<RawPacket> resent = b.io.takePackets();
        assertEquals(List.of(1), seqs(resent), "cwnd 1: the oldest packet only");
        assertTrue(resent.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK));
        assertEquals(1, call.cwnd);
        assertEquals(2, call.ssthresh, "max(4 in flight / 2, 2)");
        assertEquals(now + 2 * rto, call.rtoDeadline, "backed off: 2 x RTO");

        now += 2 * rto;
        b.transmitter.rtoExpired(call, now);
        assertEquals(List.of(1), seqs(b.io.takePackets()));
        assertEquals(now + 4 * rto, call.rtoDeadline);
        now += 4 * rto;
        b.transmitter.rtoExpired(call, now);
        List<RawPacket> third = b.io.takePackets();
        assertEquals(List.of(1), seqs(third));
        assertEquals(now + 8 * rto, call.rtoDeadline);
        assertEquals(3, b.counters.get(Counter.RETRANSMIT_TIMEOUTS));
        assertEquals(3, b.counters.get(Counter.DATA_PACKETS_RETRANSMITTED));

        // An ACK of packet 1 naming its latest transmission: no RTT sample (Karn), the backoff is over.
        now += 5 * MS;
        assertTrue(b.receiveAck(
                call, b.ack(2, "", Wire.ACK_REQUESTED, third.get(0).serial(), Wire.OUR_MAX_MTU, 32, 1), now));
        assertEquals(0, call.conn.peer.rttSamples, "no RTT sample from a retransmitted packet");
        assertEquals(0, call.rtoBackoff);
        assertEquals(2, call.cwnd, "slow start again, up to ssthresh");
        assertEquals(List.of(2, 3), seqs(b.io.takePackets()));
        assertEquals(now + rto, call.rtoDeadline, "the timer re-armed without backoff");
    }

    @Test
    void theBackedOffRetransmissionTimeoutStopsGrowingAtSixtySeconds() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 1);
        b.transmitter.pump(call, T0);
        long now = T0 + Peer.INITIAL_RTO_NANOS;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            b.transmitter.rtoExpired(call, now);
            waits.add(TimeUnit.NANOSECONDS.toSeconds(call.rtoDeadline - now));
            now = call.rtoDeadline;
        }
        assertEquals(List.of(2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L), waits);
    }

    @Test
    void anAckNamingAFirstTransmissionGivesAnRttSampleThatSetsTheTimeoutAsRfc6298() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 8);
        b.transmitter.pump(call, T0); // serials 1-4
        b.io.take();
        Peer peer = call.conn.peer;

        // DELAY ACKs give no sample (OpenAFS skips them), even when they name a packet.
        assertTrue(b.receiveAck(call, b.ack(1, "A", Wire.ACK_DELAY, 1, Wire.OUR_MAX_MTU, 32, 1), T0 + 300 * MS));
        assertEquals(0, peer.rttSamples);

        // Packets 1-2 hard-ACKed by an ACK caused by packet 2, 400 ms after it left.
        assertTrue(b.receiveAck(call, b.ack(3, "", Wire.ACK_REQUESTED, 2, Wire.OUR_MAX_MTU, 32, 1), T0 + 400 * MS));
        assertEquals(1, peer.rttSamples);
        assertEquals(400 * MS, peer.srttNanos);
        assertEquals(200 * MS, peer.rttvarNanos);
        assertEquals(1200 * MS, peer.rtoNanos, "srtt + 4 rttvar");
        assertEquals(T0 + 400 * MS + 1200 * MS, call.rtoDeadline, "re-armed with the new timeout");
        assertEquals(1, b.counters.get(Counter.RTT_SAMPLES));
        assertEquals(400_000, b.counters.get(Counter.RTT_SUM_MICROS));

        // A fast answer: the timeout never goes below 200 ms.
        for (int i = 0; i < 40; i++) peer.addRttSample(MS);
        assertEquals(Peer.MIN_RTO_NANOS, peer.rtoNanos);
    }

    // ---- jumbograms ----

    @Test
    void fullPacketsGoOutOneByOneUntilThePeersAckTrailerAllowsJumbograms() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 8);
        b.transmitter.pump(call, T0);
        List<RawPacket> sent = b.io.takePackets();
        assertEquals(4, sent.size());
        for (RawPacket p : sent) assertFalse(p.hasFlags(RawPacket.FLAG_JUMBO_PACKET));
    }

    @Test
    void fullPacketsGoOutAsJumbogramsOfAsManyPacketsAsThePeerTakes() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, Wire.OUR_MAX_MTU, 4);
        b.queueFull(call, 8);
        b.transmitter.pump(call, T0);

        List<CapturedDatagram> sent = datagrams(b);
        assertEquals(1, sent.size(), "cwnd 4 = one jumbogram of 4");
        RawPacket jumbo = sent.get(0).packet;
        assertEquals(28 + 4 * FULL + 3 * 4, sent.get(0).length, "3 sub-packets of 1412 bytes and 4-byte headers");
        List<RawPacket> subs = Jumbograms.split(jumbo);
        assertEquals(List.of(1, 2, 3, 4), seqs(subs));
        assertEquals(List.of(1, 2, 3, 4), subs.stream().map(RawPacket::serial).toList());
        for (int i = 0; i < 4; i++) {
            RawPacket p = subs.get(i);
            assertEquals(FULL, p.body().length);
            assertEquals((byte) p.seq(), p.body()[0]);
            assertEquals(i < 3, p.hasFlags(RawPacket.FLAG_JUMBO_PACKET), "JUMBO on all but the last: " + p);
            assertEquals(i == 3, p.hasFlags(RawPacket.FLAG_REQUEST_ACK), "REQUEST_ACK on the last only: " + p);
            assertTrue(p.isClientInitiated());
        }
    }

    @Test
    void thePeersMaxMtuLimitsThePacketsPerJumbogram() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, 2900, 4); // 28 + 2 x 1416 fits, 3 do not
        b.queueFull(call, 8);
        b.transmitter.pump(call, T0);
        List<CapturedDatagram> sent = datagrams(b);
        assertEquals(2, sent.size());
        for (CapturedDatagram d : sent)
            assertEquals(2, Jumbograms.split(d.packet).size());
    }

    @Test
    void aShortPacketOnlyEverEndsAJumbogram() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, Wire.OUR_MAX_MTU, 4);
        b.queue(call, true, FULL, FULL, 700);
        b.transmitter.pump(call, T0);
        List<CapturedDatagram> sent = datagrams(b);
        assertEquals(1, sent.size());
        List<RawPacket> subs = Jumbograms.split(sent.get(0).packet);
        assertEquals(List.of(1, 2, 3), seqs(subs));
        RawPacket last = subs.get(2);
        assertEquals(700, last.body().length);
        assertTrue(last.hasFlags(RawPacket.FLAG_LAST_PACKET));
        assertFalse(last.hasFlags(RawPacket.FLAG_JUMBO_PACKET));
        assertFalse(last.hasFlags(RawPacket.FLAG_REQUEST_ACK), "never on the last packet of a phase");
    }

    @Test
    void withAcksOnTheirWayTheSenderWaitsForRoomForAWholeJumbogram() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, Wire.OUR_MAX_MTU, 4);
        b.queueFull(call, 12);
        b.transmitter.pump(call, T0);
        assertEquals(1, datagrams(b).size());

        // Packet 1 soft-ACKed: room for 2 packets, 3 still in flight: wait rather than send 2 small datagrams.
        assertTrue(b.receiveAck(call, b.ack(1, "A", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 32, 4), T0 + 10 * MS));
        assertEquals(5, call.cwnd);
        assertEquals(List.of(), datagrams(b));

        // All 4 hard-ACKed: cwnd 8, two whole jumbograms.
        assertTrue(b.receiveAck(call, b.ack(5, "", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 32, 4), T0 + 20 * MS));
        List<CapturedDatagram> sent = datagrams(b);
        assertEquals(2, sent.size());
        assertEquals(range(5, 8), seqs(Jumbograms.split(sent.get(0).packet)));
        assertEquals(range(9, 12), seqs(Jumbograms.split(sent.get(1).packet)));
    }

    @Test
    void packetsThatCannotJoinAJumbogramGoOutAsTheWindowOpensWithoutWaiting() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, Wire.OUR_MAX_MTU, 4);
        int[] crypt = new int[12];
        java.util.Arrays.fill(crypt, 1408); // rxkad crypt pads 1404 user bytes to 1408: never a jumbogram part
        b.queue(call, false, crypt);
        b.transmitter.pump(call, T0);
        assertEquals(4, datagrams(b).size(), "cwnd 4, one packet a datagram");

        // Packet 1 soft-ACKed: room for 2 with 3 in flight. Waiting for a jumbogram's room would send one
        // packet per ACK, and the OpenAFS peer delays the ACK of a lone packet by 100 ms.
        assertTrue(b.receiveAck(call, b.ack(1, "A", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 32, 4), T0 + 10 * MS));
        List<CapturedDatagram> sent = datagrams(b);
        assertEquals(2, sent.size());
        assertEquals(
                List.of(5, 6),
                List.of(sent.get(0).packet.seq(), sent.get(1).packet.seq()));
    }

    @Test
    void aSecuredCallSecuresOnlyThePacketsTheWindowsLetOutNotAllItQueued() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        org.rxrpc.rxkad.Token token =
                org.rxrpc.rxkad.LocalAuth.mint(RxkadCallsOverLoopbackTest.KEYS, System.currentTimeMillis() / 1000);
        call.conn.security = new org.rxrpc.rxkad.RxkadClientSecurity(token, org.rxrpc.security.SecurityLevels.CRYPT)
                .newConnection(call.conn.epoch, call.conn.cid);
        int[] plain = new int[255];
        java.util.Arrays.fill(plain, 1400); // crypt: 1400 user bytes a packet, 1408 once secured
        b.queue(call, false, plain);

        b.transmitter.pump(call, T0);
        List<RawPacket> sent = b.io.takePackets();
        assertEquals(List.of(1, 2, 3, 4), seqs(sent), "cwnd 4");
        for (RawPacket p : sent) assertEquals(1408, p.body().length, "sent secured: " + p);
        // A whole ring secured before the first send held a 1 MiB reply's first packet back by ms.
        assertEquals(4, call.txSecuredTop, "only what went out is secured");
        assertEquals(1400, call.txRing[5].length, "packet 5 waits as the application queued it");

        assertTrue(b.receiveAck(call, b.ack(5, "", Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 32, 1), T0 + MS));
        List<RawPacket> next = b.io.takePackets();
        assertEquals(List.of(5, 6, 7, 8, 9, 10, 11, 12), seqs(next), "slow start: cwnd 8");
        for (RawPacket p : next) assertEquals(1408, p.body().length, "sent secured: " + p);
        assertEquals(12, call.txSecuredTop);
    }

    @Test
    void retransmissionsAreNeverJumbograms() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        allowJumbograms(b, call, Wire.OUR_MAX_MTU, 4);
        b.queueFull(call, 4);
        b.transmitter.pump(call, T0);
        assertEquals(1, datagrams(b).size());
        // Resent with the congestion window unchanged (as after BUSY): room for 4, sent one by one.
        b.transmitter.requeueAll(call);
        b.transmitter.pump(call, T0 + 10 * MS);
        List<CapturedDatagram> resent = datagrams(b);
        assertEquals(4, resent.size());
        for (CapturedDatagram d : resent) {
            assertFalse(d.packet.hasFlags(RawPacket.FLAG_JUMBO_PACKET));
            assertTrue(d.packet.hasFlags(RawPacket.FLAG_REQUEST_ACK));
        }
    }

    // ---- REQUEST_ACK and the end of a phase ----

    @Test
    void newPacketsAskForAnAckEarlyOnThenOnlyWhenTheyEmptyTheQueueAndNeverAsTheLastOfAPhase() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queue(call, true, FULL, 100);
        b.transmitter.pump(call, T0);
        List<RawPacket> sent = b.io.takePackets();
        assertTrue(sent.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK), "fewer than 3 RTT samples");
        assertTrue(sent.get(1).hasFlags(RawPacket.FLAG_LAST_PACKET));
        assertFalse(sent.get(1).hasFlags(RawPacket.FLAG_REQUEST_ACK), "the last packet of the request");

        CallBench b2 = new CallBench(255, 255);
        try {
            Call c2 = b2.clientCall();
            for (int i = 0; i < 3; i++) c2.conn.peer.addRttSample(10 * MS);
            b2.queueFull(c2, 3);
            b2.transmitter.pump(c2, T0);
            List<Boolean> asks = b2.io.takePackets().stream()
                    .map(p -> p.hasFlags(RawPacket.FLAG_REQUEST_ACK))
                    .toList();
            assertEquals(List.of(false, false, true), asks, "only the packet that empties the queue");
        } finally {
            b2.close();
        }
    }

    @Test
    void aServerCallRepliesOnlyOnceItsRequestIsCompleteAndThenAwaitsTheFinalAck() {
        CallBench b = bench(255);
        Call call = b.serverCall();
        b.queue(call, true, 100);
        b.transmitter.pump(call, T0);
        assertEquals(List.of(), seqs(b.io.takePackets()), "the request is not complete yet");

        byte[] request = new byte[10];
        assertTrue(b.receiver.dataPacket(
                call, 1, Wire.FLAG_LAST_PACKET, 77, java.nio.ByteBuffer.wrap(request), 0, request.length));
        assertTrue(b.receiver.deliver(call));
        assertEquals(CallState.SERVER_SENDING_REPLY, call.state);
        call.ackDeadline = T0 + 50 * MS;
        b.transmitter.pump(call, T0 + MS);
        List<RawPacket> sent = b.io.takePackets();
        assertEquals(List.of(1), seqs(sent));
        assertFalse(sent.get(0).isClientInitiated());
        assertTrue(sent.get(0).hasFlags(RawPacket.FLAG_LAST_PACKET));
        assertFalse(sent.get(0).hasFlags(RawPacket.FLAG_REQUEST_ACK), "never on the last reply packet");
        assertEquals(CallState.SERVER_AWAITING_FINAL_ACK, call.state);
        assertEquals(0, call.ackDeadline, "the reply acknowledges the request");
    }

    // ---- BUSY ----

    @Test
    void afterBusyEverythingSentIsRequeuedAndSentAgainOnlyWhenTheRetryIsDue() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queue(call, true, FULL, FULL, 100);
        b.transmitter.pump(call, T0);
        assertEquals(3, b.io.take().size());

        // What CallEvents.busyReceived does: a retry time, and everything sent presumed not taken.
        call.busyRetryAt = T0 + 50 * MS;
        b.transmitter.requeueAll(call);
        assertEquals(0, call.inFlight);
        assertEquals(3, call.resendPending);
        assertEquals(0, call.rtoDeadline);
        assertEquals(0, call.rtoBackoff);
        assertEquals(4, call.cwnd, "the congestion state is not touched");
        assertEquals(128, call.ssthresh);

        b.transmitter.pump(call, T0 + 10 * MS);
        assertEquals(List.of(), seqs(b.io.takePackets()), "nothing before the retry time");

        call.busyRetryAt = 0; // due (CallEvents.timers)
        b.transmitter.pump(call, T0 + 50 * MS);
        List<RawPacket> resent = b.io.takePackets();
        assertEquals(List.of(1, 2, 3), seqs(resent));
        assertTrue(resent.get(2).hasFlags(RawPacket.FLAG_LAST_PACKET));
        assertEquals(3, b.counters.get(Counter.DATA_PACKETS_RETRANSMITTED));
        assertEquals(T0 + 50 * MS + Peer.INITIAL_RTO_NANOS, call.rtoDeadline);
    }

    // ---- ACK validity and buffers ----

    @Test
    void anAckOfPacketsNeverSentIsRefusedAndAnOlderAckIsIgnored() {
        CallBench b = bench(255);
        Call call = b.clientCall();
        b.queueFull(call, 8);
        b.transmitter.pump(call, T0);
        b.io.take();

        assertFalse(
                b.transmitter.ackReceived(call, b.ack(6, "").ack(), b.ack(6, "").datagram(), T0 + MS),
                "5 was never sent");
        CallBench.AckIn newer = b.ack(3, "");
        assertTrue(b.transmitter.ackReceived(call, newer.ack(), newer.datagram(), T0 + 2 * MS));
        assertEquals(2, call.txHardAck);
        int cwnd = call.cwnd;
        CallBench.AckIn older = b.ack(2, "A");
        assertTrue(b.transmitter.ackReceived(call, older.ack(), older.datagram(), T0 + 3 * MS));
        assertEquals(2, call.txHardAck);
        assertEquals(cwnd, call.cwnd);
        assertFalse(call.txRing[3].softAcked, "nothing taken from a stale ACK");
    }

    @Test
    void hardAckedPacketsGoBackToThePoolAndAckAllFreesTheRest() {
        CallBench b = bench(255);
        PacketPool pool = b.endpoint.pool;
        int free = pool.available();
        Call call = b.clientCall();
        b.queue(call, true, FULL, FULL, FULL, 10);
        assertEquals(free - 4, pool.available());
        b.transmitter.pump(call, T0);

        assertTrue(b.receiveAck(call, b.ack(3, ""), T0 + MS));
        assertEquals(free - 2, pool.available());
        assertTrue(call.txRing[1] == null && call.txRing[2] == null);

        b.transmitter.ackAll(call);
        assertEquals(free, pool.available());
        assertEquals(4, call.txHardAck);
        assertEquals(0, call.inFlight);
        assertEquals(0, call.rtoDeadline);
        assertTrue(b.transmitter.allSoftAcked(call));
    }

    // ---- helpers ----

    /** An ACK (acknowledging nothing) whose trailer allows jumbograms. */
    private static void allowJumbograms(CallBench b, Call call, int maxMtu, int jumboMax) {
        assertTrue(b.receiveAck(call, b.ack(1, "", Wire.ACK_REQUESTED, 0, maxMtu, 32, jumboMax), T0 - MS));
        assertEquals(jumboMax, call.conn.peer.jumboMax);
    }

    private record CapturedDatagram(RawPacket packet, int length) {}

    private static List<CapturedDatagram> datagrams(CallBench b) {
        return b.io.take().stream()
                .map(s -> new CapturedDatagram(s.packet(), s.bytes().length))
                .filter(d -> d.packet.type() == RawPacket.TYPE_DATA)
                .toList();
    }

    private static List<Integer> seqs(List<RawPacket> packets) {
        return packets.stream()
                .filter(p -> p.type() == RawPacket.TYPE_DATA)
                .map(RawPacket::seq)
                .toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i <= to; i++) r.add(i);
        return r;
    }
}
