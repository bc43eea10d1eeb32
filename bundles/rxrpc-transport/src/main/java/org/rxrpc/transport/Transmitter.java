package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.Counter;
import org.rxrpc.transport.wire.Ack;
import org.rxrpc.transport.wire.Wire;

/**
 * The sending half of calls, on the I/O thread: the send window (the peer's rwind and our congestion
 * window), slow start and congestion avoidance, soft and hard ACKs, fast retransmit after three ACKs
 * showing a hole, and the RTT-based retransmission timeout with exponential backoff.
 */
final class Transmitter {
    private static final int MAX_CWND = Wire.MAX_ACKS;

    private final Output output;
    private final Counters counters;
    private final int sendWindowMax;
    private final PacketSecurity packetSecurity;

    Transmitter(Output output, Counters counters, int sendWindowMax, PacketSecurity packetSecurity) {
        this.output = output;
        this.packetSecurity = packetSecurity;
        this.counters = counters;
        this.sendWindowMax = sendWindowMax;
    }

    /** Sends what the windows allow: retransmissions first, then new packets (as jumbograms if allowed). */
    void pump(Call call, long now) {
        if (call.conn == null || call.state.isComplete() || call.busyRetryAt != 0) return;
        if (!call.client && !call.rxComplete()) return;
        Peer peer = call.conn.peer;
        if (call.resendPending > 0) {
            for (int seq = call.txHardAck + 1; seq - call.txTop <= 0 && call.inFlight < call.cwnd; seq++) {
                PacketBuffer p = call.txRing[seq & Call.RING_MASK];
                if (p != null && p.needsResend) {
                    p.needsResend = false;
                    call.resendPending--;
                    markInFlight(call, p);
                    // A resend asks for an ACK, but never the last packet of a reply: an OpenAFS client
                    // would answer with a soft ACK and never hard-ACK it (rx-protocol.md §3.4).
                    boolean replyLast = !call.client && seq == call.txLastSeq;
                    output.sendData(call, seq, 1, !replyLast, now);
                }
            }
        }
        int queuedTop = call.txQueuedTop;
        int windowEnd = call.txHardAck + Math.min(call.txWindow, sendWindowMax);
        int open = room(call, queuedTop, windowEnd);
        if (open > 0 && call.txTop + open - call.txSecuredTop > 0) {
            // New packets are secured once, just before their first send (their length may change: padding),
            // and only as many as the windows let out now: securing all the application queued (up to a
            // ring of 255 at crypt) before the first send held a bulk reply's first packets back by ms.
            org.rxrpc.security.SecurityFailure f = packetSecurity.secureQueued(call, call.txTop + open);
            if (f != null) {
                call.abort(f.abortCode()); // e.g. an expired ticket: the call ends on the next look
                return;
            }
        }
        int lastSeq = call.txLastSeq;
        while (call.txTop != queuedTop && call.txTop - windowEnd < 0 && call.inFlight < call.cwnd) {
            int first = call.txTop + 1;
            int room = room(call, queuedTop, windowEnd);
            int count = 1;
            int maxJumbo = Math.min(
                    peer.jumboMax,
                    (peer.maxMtu - Wire.HEADER_SIZE + Wire.JUMBO_HEADER_SIZE)
                            / (Wire.JUMBO_DATA_SIZE + Wire.JUMBO_HEADER_SIZE));
            while (count < Math.min(room, maxJumbo)
                    && call.txRing[(first + count - 1) & Call.RING_MASK].length == Wire.JUMBO_DATA_SIZE) {
                count++;
            }
            if (count < maxJumbo
                    && count == room
                    && call.txRing[first & Call.RING_MASK].length == Wire.JUMBO_DATA_SIZE
                    && call.inFlight > 0
                    && queuedTop - call.txTop >= maxJumbo) {
                // Only a sliver of the window is open and ACKs are on their way: wait for room for a full
                // jumbogram rather than sending small datagrams (fewer datagrams and ACKs for the peer).
                // Not for packets that cannot join one (rxkad crypt pads bodies to 1408 bytes): waiting
                // would send one packet per ACK, and OpenAFS delays the ACK of a lone packet by 100 ms.
                break;
            }
            int end = first + count - 1;
            for (int seq = first; seq - end <= 0; seq++) markInFlight(call, call.txRing[seq & Call.RING_MASK]);
            boolean phaseLast = lastSeq != 0 && end == lastSeq;
            boolean requestAck = !phaseLast && (peer.rttSamples < 3 || call.cwnd <= 2 || end == queuedTop);
            call.txTop = end;
            output.sendData(call, first, count, requestAck, now);
            if (phaseLast && !call.client) call.state = org.rxrpc.api.CallState.SERVER_AWAITING_FINAL_ACK;
        }
        if (call.inFlight > 0 && call.rtoDeadline == 0) armRto(call, now);
        if (!call.client) call.ackDeadline = 0; // reply DATA acknowledges the request
    }

    /** Packets that may go out now: queued, inside the peer's window, inside the congestion window. */
    private static int room(Call call, int queuedTop, int windowEnd) {
        return Math.min(Math.min(queuedTop - call.txTop, windowEnd - call.txTop), call.cwnd - call.inFlight);
    }

    private static void markInFlight(Call call, PacketBuffer p) {
        if (!p.inFlight) {
            p.inFlight = true;
            call.inFlight++;
        }
    }

    private static void armRto(Call call, long now) {
        long rto = call.conn.peer.rtoNanos << Math.min(call.rtoBackoff, 8);
        call.rtoDeadline = now + Math.min(rto, Peer.MAX_RTO_NANOS);
        if (call.rtoDeadline - call.nextTimer < 0 || call.nextTimer == 0) call.nextTimer = call.rtoDeadline;
    }

    /**
     * Takes an ACK for the call's transmit side.
     *
     * @return false if the ACK is invalid (acknowledges packets never sent)
     */
    boolean ackReceived(Call call, Ack ack, ByteBuffer datagram, long now) {
        Peer peer = call.conn.peer;
        peer.updateFromTrailer(ack.maxMtu, ack.jumboMax);
        if (ack.rwind > 0) call.txWindow = Math.min(ack.rwind, Wire.MAX_ACKS);
        if (ack.reason == Wire.ACK_PING_RESPONSE && ack.serial == call.pingSerial && call.pingSentNanos != 0) {
            sample(call, now - call.pingSentNanos);
            call.pingSentNanos = 0;
        }
        int hard = ack.firstPacket - 1;
        if (hard - call.txHardAck < 0) return true; // stale: an older ACK overtaken by a newer one
        if (hard - call.txTop > 0) return false;
        if (ack.serial != 0 && ack.reason != Wire.ACK_DELAY && ack.reason != Wire.ACK_PING_RESPONSE) {
            rttFromAck(call, ack.serial, now);
        }
        int newlyAcked = 0;
        boolean progress = hard != call.txHardAck;
        for (int seq = call.txHardAck + 1; seq - hard <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            call.txRing[seq & Call.RING_MASK] = null;
            if (!p.softAcked) newlyAcked++;
            forget(call, p);
            call.endpoint.pool.release(p);
        }
        if (progress) {
            call.txHardAck = hard;
            call.wakeWriterWhenRoomy();
        }
        int highestAcked = 0;
        boolean sawAck = false;
        int nacksBelow = 0;
        for (int i = ack.nAcks - 1; i >= 0; i--) {
            int seq = ack.firstPacket + i;
            if (seq - call.txTop > 0) continue;
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            if (ack.isAcked(datagram, i)) {
                if (!sawAck) {
                    sawAck = true;
                    highestAcked = seq;
                }
                if (!p.softAcked) {
                    p.softAcked = true;
                    newlyAcked++;
                    if (p.inFlight) {
                        p.inFlight = false;
                        call.inFlight--;
                    }
                    if (p.needsResend) {
                        p.needsResend = false;
                        call.resendPending--;
                    }
                }
            } else {
                if (p.softAcked) {
                    // The receiver dropped a packet it had held: send it again.
                    p.softAcked = false;
                    markForResend(call, p);
                }
                if (sawAck && p.txCount > 0) nacksBelow++;
            }
        }
        if (nacksBelow > 0 && !progress) {
            call.dupNacks++;
        } else if (progress) {
            call.dupNacks = 0;
        }
        if (call.inRecovery && call.txHardAck - call.recoveryPoint >= 0) {
            call.inRecovery = false;
            call.cwnd = Math.max(call.ssthresh, 2);
        }
        if (nacksBelow > 0 && (call.dupNacks >= 3 || call.inRecovery))
            fastRetransmit(call, ack, datagram, highestAcked, now);
        if (newlyAcked > 0 && !call.inRecovery) grow(call, newlyAcked);
        if (progress || newlyAcked > 0) {
            call.rtoBackoff = 0;
            call.rtoDeadline = 0;
            if (call.inFlight > 0) armRto(call, now);
        }
        return true;
    }

    private void rttFromAck(Call call, int serial, long now) {
        for (int seq = call.txHardAck + 1; seq - call.txTop <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            if (p != null && p.serial == serial) {
                if (p.txCount == 1) sample(call, now - p.sentNanos); // Karn: not from retransmissions
                return;
            }
        }
    }

    private void sample(Call call, long rtt) {
        call.conn.peer.addRttSample(rtt);
        counters.inc(Counter.RTT_SAMPLES);
        counters.add(Counter.RTT_SUM_MICROS, rtt / 1000);
    }

    private static void grow(Call call, int newlyAcked) {
        if (call.cwnd < call.ssthresh) {
            call.cwnd = Math.min(MAX_CWND, call.cwnd + newlyAcked);
        } else {
            call.caAcked += newlyAcked;
            if (call.caAcked >= call.cwnd) {
                call.caAcked -= call.cwnd;
                call.cwnd = Math.min(MAX_CWND, call.cwnd + 1);
            }
        }
    }

    /** Resends the packets an ACK shows lost below a later soft-ACKed one (RFC 5681 fast retransmit). */
    private void fastRetransmit(Call call, Ack ack, ByteBuffer datagram, int highestAcked, long now) {
        if (!call.inRecovery) {
            call.inRecovery = true;
            call.recoveryPoint = call.txTop;
            call.ssthresh = Math.max(call.inFlight / 2, 2);
            call.cwnd = call.ssthresh + 3;
            call.caAcked = 0;
            counters.inc(Counter.FAST_RETRANSMITS);
        }
        long minAge = call.conn.peer.srttNanos;
        for (int i = 0; ack.firstPacket + i - highestAcked < 0; i++) {
            if (ack.isAcked(datagram, i)) continue;
            PacketBuffer p = call.txRing[(ack.firstPacket + i) & Call.RING_MASK];
            if (p.inFlight && now - p.sentNanos > minAge) markForResend(call, p);
        }
    }

    private static void markForResend(Call call, PacketBuffer p) {
        if (p.inFlight) {
            p.inFlight = false;
            call.inFlight--;
        }
        if (!p.needsResend) {
            p.needsResend = true;
            call.resendPending++;
        }
    }

    private static void forget(Call call, PacketBuffer p) {
        if (p.inFlight) call.inFlight--;
        if (p.needsResend) call.resendPending--;
    }

    /** Everything transmitted is acknowledged (an ACKALL, or reply DATA implying the request arrived). */
    void ackAll(Call call) {
        int top = call.txQueuedTop;
        for (int seq = call.txHardAck + 1; seq - top <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            call.txRing[seq & Call.RING_MASK] = null;
            if (p != null) {
                forget(call, p);
                call.endpoint.pool.release(p);
            }
        }
        call.txHardAck = top;
        call.txTop = top;
        call.rtoDeadline = 0;
        call.wakeWriter();
    }

    /** The retransmission timer fired: everything in flight is presumed lost (Linux: cwnd 1). */
    void rtoExpired(Call call, long now) {
        call.rtoDeadline = 0;
        if (call.inFlight == 0) return;
        counters.inc(Counter.RETRANSMIT_TIMEOUTS);
        call.ssthresh = Math.max(call.inFlight / 2, 2);
        call.cwnd = 1;
        call.caAcked = 0;
        call.inRecovery = false;
        call.dupNacks = 0;
        for (int seq = call.txHardAck + 1; seq - call.txTop <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            if (p != null && p.inFlight) markForResend(call, p);
        }
        call.rtoBackoff++;
        pump(call, now);
    }

    /** Whether every transmitted packet is acknowledged, at least softly. */
    boolean allSoftAcked(Call call) {
        for (int seq = call.txHardAck + 1; seq - call.txTop <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            if (p != null && !p.softAcked) return false;
        }
        return call.txTop == call.txLastSeq;
    }

    /** Marks everything in flight for sending again, without touching the congestion state. */
    void requeueAll(Call call) {
        for (int seq = call.txHardAck + 1; seq - call.txTop <= 0; seq++) {
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            if (p != null && p.inFlight) markForResend(call, p);
        }
        call.rtoDeadline = 0;
        call.rtoBackoff = 0;
    }

    /** Releases every transmit buffer of a call that ended (its end already published: see Call). */
    void releaseAll(Call call) {
        call.takeTransmitRing();
        call.inFlight = 0;
        call.resendPending = 0;
        call.rtoDeadline = 0;
    }
}
