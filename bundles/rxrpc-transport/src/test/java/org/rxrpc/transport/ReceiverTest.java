package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.CallBench.T0;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.wire.Wire;

/**
 * The receiving half of a call, driven directly (rx-protocol.md §3 and §4): {@link Receiver} stores
 * DATA packets by seq, delivers them in order, refuses what lies outside the window, and proposes the
 * most urgent ACK reason; the ACKs {@link Output} then writes are read back with {@link RawPacket}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceiverTest {
    private static final int WINDOW = 255;

    private CallBench bench;
    private int serial = 100;

    private CallBench bench(int receiveWindow, PacketPool pool) {
        bench = new CallBench(255, receiveWindow, pool);
        return bench;
    }

    @AfterEach
    void close() {
        if (bench != null) bench.close();
    }

    @Test
    void packetsArrivingInOrderAreDeliveredAtOnceAndCountedForTheNextAck() {
        CallBench b = bench(WINDOW, null);
        Call call = b.serverCall();
        assertTrue(data(b, call, 1, 0, payload(1, 1000)));
        assertTrue(b.receiver.deliver(call));
        assertTrue(data(b, call, 2, 0, payload(2, 1000)));
        assertTrue(b.receiver.deliver(call));

        assertEquals(2, call.rxDelivered);
        assertEquals(0, call.rxLastSeq, "the request is not complete");
        assertEquals(CallState.SERVER_RECEIVING_REQUEST, call.state);
        assertArrayEquals(concat(payload(1, 1000), payload(2, 1000)), delivered(call));
        assertEquals(2, call.rxPendingAckPackets);
        assertEquals(0, call.rxPendingAckReason, "no reason to ACK at once");
        assertEquals(101, call.rxPendingAckSerial, "the first packet not yet ACKed");
        assertEquals(2, b.counters.get(Counter.DATA_PACKETS_RECEIVED));
    }

    @Test
    void theLastPacketCompletesTheMessageAndTurnsAServerCallToItsReply() {
        CallBench b = bench(WINDOW, null);
        Call call = b.serverCall();
        assertTrue(data(b, call, 1, 0, payload(1, 10)));
        assertTrue(data(b, call, 2, Wire.FLAG_LAST_PACKET, payload(2, 0)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(2, call.rxLastSeq);
        assertTrue(call.rxComplete());
        assertEquals(CallState.SERVER_SENDING_REPLY, call.state);
        assertFalse(b.receiver.deliver(call), "nothing new");

        // Nothing may follow the last packet, and no other packet may claim to be last.
        assertFalse(data(b, call, 3, 0, payload(3, 10)));
        assertFalse(data(b, call, 1, Wire.FLAG_LAST_PACKET, payload(1, 10)));
    }

    @Test
    void aPacketAfterAGapIsHeldUntilTheGapFillsAndAsksForAnOutOfSequenceAckAtOnce() {
        CallBench b = bench(WINDOW, null);
        Call call = b.clientCall();
        assertTrue(data(b, call, 3, 0, payload(3, 500)));
        assertFalse(b.receiver.deliver(call));
        assertEquals(Wire.ACK_OUT_OF_SEQUENCE, call.rxPendingAckReason);
        assertEquals(101, call.rxPendingAckSerial, "the serial of the packet after the gap");
        assertTrue(Receiver.urgent(call.rxPendingAckReason));
        assertTrue(data(b, call, 2, 0, payload(2, 500)));
        assertFalse(b.receiver.deliver(call));
        assertEquals(0, call.rxDelivered);
        assertEquals(3, call.rxHighestStored);

        // The ACK says so: 1 missing, 2-3 held.
        b.output.sendAck(call, call.rxPendingAckReason, call.rxPendingAckSerial, false, T0);
        RawPacket.Ack ack = onlyAck(b);
        assertEquals(1, ack.firstPacket());
        assertEquals(3, ack.previousPacket());
        assertEquals(Wire.ACK_OUT_OF_SEQUENCE, ack.reason());
        assertEquals(101, ack.serial());
        assertArrayEquals(new byte[] {0, 1, 1}, ack.acks());
        assertEquals(0, call.rxPendingAckReason, "sent: nothing pending");

        assertTrue(data(b, call, 1, 0, payload(1, 500)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(3, call.rxDelivered);
        assertArrayEquals(concat(payload(1, 500), payload(2, 500), payload(3, 500)), delivered(call));
    }

    @Test
    void aLastPacketArrivingEarlyIsDeliveredInOrderWithTheRest() {
        CallBench b = bench(WINDOW, null);
        Call call = b.clientCall();
        assertTrue(data(b, call, 3, Wire.FLAG_LAST_PACKET, payload(3, 7)));
        assertFalse(data(b, call, 4, 0, payload(4, 7)), "beyond the last packet");
        assertTrue(data(b, call, 1, 0, payload(1, 7)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(1, call.rxDelivered);
        assertEquals(0, call.rxLastSeq);
        assertTrue(data(b, call, 2, 0, payload(2, 7)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(3, call.rxLastSeq);
        assertTrue(call.rxComplete());
    }

    @Test
    void aDuplicateOfADeliveredOrHeldPacketIsCountedKeptOnceAndAnsweredWithADuplicateAck() {
        CallBench b = bench(WINDOW, null);
        Call call = b.clientCall();
        assertTrue(data(b, call, 1, 0, payload(1, 100)));
        b.receiver.deliver(call);
        assertTrue(data(b, call, 3, 0, payload(3, 100)));
        PacketBuffer held = call.rxRing[3];
        int free = b.endpoint.pool.available();
        call.rxPendingAckReason = 0;

        assertTrue(data(b, call, 1, 0, payload(9, 100)));
        assertEquals(Wire.ACK_DUPLICATE, call.rxPendingAckReason);
        assertTrue(data(b, call, 3, 0, payload(9, 100)));
        assertSame(held, call.rxRing[3], "the packet held first stays");
        assertEquals((byte) 3, held.data[0]);
        assertEquals(free, b.endpoint.pool.available(), "no buffer taken for a duplicate");
        assertEquals(2, b.counters.get(Counter.DUPLICATE_DATA_RECEIVED));
        assertEquals(1, call.rxDelivered);
        assertArrayEquals(payload(1, 100), delivered(call));
    }

    @Test
    void aPacketBeyondTheReceiveWindowIsDroppedWithAnExceedsWindowAck() {
        CallBench b = bench(8, null);
        Call call = b.clientCall();
        assertTrue(data(b, call, 8, 0, payload(8, 10)), "1-8: the window");
        assertEquals(Wire.ACK_OUT_OF_SEQUENCE, call.rxPendingAckReason);
        assertTrue(data(b, call, 9, 0, payload(9, 10)));
        assertNull(call.rxRing[9]);
        assertEquals(8, call.rxHighestStored);
        assertEquals(1, b.counters.get(Counter.DROP_EXCEEDS_WINDOW));
        assertEquals(Wire.ACK_OUT_OF_SEQUENCE, call.rxPendingAckReason, "still the most urgent");

        call.rxPendingAckReason = 0;
        assertTrue(data(b, call, 20, 0, payload(20, 10)));
        assertEquals(Wire.ACK_EXCEEDS_WINDOW, call.rxPendingAckReason);
        assertEquals(103, call.rxPendingAckSerial);
        assertTrue(Receiver.urgent(Wire.ACK_EXCEEDS_WINDOW));

        // Delivered packets move the window on.
        for (int seq = 1; seq <= 7; seq++) assertTrue(data(b, call, seq, 0, payload(seq, 10)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(8, call.rxDelivered);
        assertTrue(data(b, call, 16, 0, payload(16, 10)));
        assertNotNull(call.rxRing[16]);
    }

    @Test
    void dataFurtherAheadOfTheApplicationThanTheRingHoldsIsDropped() {
        CallBench b = bench(WINDOW, new PacketPool(512));
        Call call = b.clientCall();
        for (int seq = 1; seq <= 200; seq++) assertTrue(data(b, call, seq, 0, payload(seq, 1)));
        assertTrue(b.receiver.deliver(call));
        assertEquals(200, call.rxDelivered);
        assertEquals(0, call.rxConsumed, "nothing read by the application");

        assertTrue(data(b, call, 255, 0, payload(255, 1)));
        assertNotNull(call.rxRing[255]);
        // 56 past the last delivered packet, within the window of 255, but 256 ahead of the reader: its slot
        // of the ring would be the one of the application's next packet.
        assertTrue(data(b, call, 256, 0, payload(256, 1)));
        assertNull(call.rxRing[256 & Call.RING_MASK]);
        assertEquals(255, call.rxHighestStored);
        assertEquals(1, b.counters.get(Counter.DROP_EXCEEDS_WINDOW));
    }

    @Test
    void withNoFreeBufferAPacketIsDroppedAndCountedAndAnOversizedOneTakesAChain() {
        PacketPool pool = new PacketPool(3);
        CallBench b = bench(WINDOW, pool);
        Call call = b.clientCall();

        byte[] big = payload(1, 3000); // 1416 + 1416 + 168
        assertTrue(data(b, call, 1, 0, big));
        PacketBuffer head = call.rxRing[1];
        assertEquals(PacketBuffer.CAPACITY, head.length);
        assertEquals(PacketBuffer.CAPACITY, head.next.length);
        assertEquals(3000 - 2 * PacketBuffer.CAPACITY, head.next.next.length);
        assertEquals(0, pool.available());

        assertTrue(data(b, call, 2, 0, payload(2, 10)));
        assertNull(call.rxRing[2]);
        assertEquals(1, b.counters.get(Counter.DROP_NO_BUFFER));
        assertEquals(1, call.rxPendingAckPackets, "a dropped packet is not acknowledged");

        // A chain that cannot be completed gives back what it took.
        pool.release(head);
        call.rxRing[1] = null;
        assertEquals(3, pool.available());
        assertTrue(data(b, call, 2, 0, payload(2, 5000)));
        assertNull(call.rxRing[2]);
        assertEquals(3, pool.available());
        assertEquals(2, b.counters.get(Counter.DROP_NO_BUFFER));
    }

    @Test
    void requestAckOnInOrderDataProposesARequestedAckWithThatPacketsSerial() {
        CallBench b = bench(WINDOW, null);
        Call call = b.clientCall();
        assertTrue(data(b, call, 1, 0, payload(1, 10)));
        assertTrue(b.receiver.deliver(call));
        assertTrue(data(b, call, 2, Wire.FLAG_REQUEST_ACK, payload(2, 10)));
        assertEquals(Wire.ACK_REQUESTED, call.rxPendingAckReason);
        assertEquals(102, call.rxPendingAckSerial);
        assertTrue(Receiver.urgent(Wire.ACK_REQUESTED));
    }

    /** Linux's order (rx-protocol.md §4.1): OUT_OF_SEQUENCE > NOSPACE > EXCEEDS_WINDOW > DUPLICATE > REQUESTED > DELAY > IDLE. */
    @Test
    void theMostUrgentProposedReasonWinsAndKeepsItsOwnSerial() {
        List<Integer> ranked = List.of(
                Wire.ACK_IDLE,
                Wire.ACK_DELAY,
                Wire.ACK_REQUESTED,
                Wire.ACK_DUPLICATE,
                Wire.ACK_EXCEEDS_WINDOW,
                Wire.ACK_NOSPACE,
                Wire.ACK_OUT_OF_SEQUENCE);
        CallBench b = bench(WINDOW, null);
        for (int first : ranked) {
            for (int second : ranked) {
                Call call = b.clientCall();
                Receiver.proposeAck(call, first, 1);
                Receiver.proposeAck(call, second, 2);
                boolean secondWins = ranked.indexOf(second) > ranked.indexOf(first);
                String what = "reason " + first + " then " + second;
                assertEquals(secondWins ? second : first, call.rxPendingAckReason, what);
                assertEquals(secondWins ? 2 : 1, call.rxPendingAckSerial, what);
            }
        }
    }

    @Test
    void onlyRequestedDuplicateOutOfSequenceAndExceedsWindowAreSentAtOnce() {
        for (int reason = 1; reason <= 9; reason++) {
            boolean urgent = reason == Wire.ACK_REQUESTED
                    || reason == Wire.ACK_DUPLICATE
                    || reason == Wire.ACK_OUT_OF_SEQUENCE
                    || reason == Wire.ACK_EXCEEDS_WINDOW;
            assertEquals(urgent, Receiver.urgent(reason), "reason " + reason);
        }
    }

    @Test
    void theAdvertisedWindowShrinksWithUnreadPacketsAndAskForAnUpdateWhenLow() {
        CallBench b = bench(16, null);
        Call call = b.clientCall();
        for (int seq = 1; seq <= 9; seq++) assertTrue(data(b, call, seq, 0, payload(seq, 10)));
        assertTrue(b.receiver.deliver(call));
        b.output.sendAck(call, Wire.ACK_IDLE, 0, false, T0);
        RawPacket.Ack ack = onlyAck(b);
        assertEquals(10, ack.firstPacket(), "hard-ACKed as received in order");
        assertEquals(0, ack.nAcks());
        assertEquals(7, ack.rwind(), "16 less 9 unread");
        assertEquals(7, call.rxAdvertisedWindow);
        assertFalse(call.wantWindowUpdate);

        // Below half the window: the reader must tell the I/O thread when it consumes.
        assertTrue(data(b, call, 10, 0, payload(10, 10)));
        assertTrue(b.receiver.deliver(call));
        assertTrue(call.wantWindowUpdate);
    }

    // ---- helpers ----

    /** One DATA sub-packet of the peer, with the next serial. */
    private boolean data(CallBench b, Call call, int seq, int flags, byte[] bytes) {
        byte[] datagram = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, datagram, 20, bytes.length);
        return b.receiver.dataPacket(call, seq, flags, ++serial, ByteBuffer.wrap(datagram), 20, bytes.length);
    }

    private static byte[] payload(int seq, int length) {
        byte[] p = new byte[length];
        Arrays.fill(p, (byte) seq);
        return p;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** What the application would read: packets rxConsumed+1..rxDelivered, their chains included. */
    private static byte[] delivered(Call call) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int seq = call.rxConsumed + 1; seq - call.rxDelivered <= 0; seq++) {
            for (PacketBuffer p = call.rxRing[seq & Call.RING_MASK]; p != null; p = p.next) {
                out.write(p.data, 0, p.length);
            }
        }
        return out.toByteArray();
    }

    private static RawPacket.Ack onlyAck(CallBench b) {
        List<RawPacket> sent = b.io.takePackets();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(RawPacket.TYPE_ACK, sent.get(0).type());
        return sent.get(0).ack();
    }
}
