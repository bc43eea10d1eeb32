package org.rxrpc.transport;

import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.transport.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call life on the I/O thread: starting client calls on a channel, timers
 * (delayed ACK, retransmission, keepalive PING, dead peer, idle and hard timeouts, BUSY retry), requests
 * from application threads, and completion (net/rxrpc/call_event.c, call_object.c).
 */
final class CallEvents implements LiveCalls.Due {
    private static final Logger LOG = LoggerFactory.getLogger(CallEvents.class);
    private static final long BUSY_FIRST_RETRY_NANOS = 50_000_000L;
    private static final long BUSY_MAX_RETRY_NANOS = 1_000_000_000L;

    private final Endpoint endpoint;
    private final Tables tables;
    private final Output output;
    private final Transmitter transmitter;
    private final Counters counters;
    private final long deadTimeNanos;
    private final long idleTimeoutNanos;
    private final long keepaliveNanos;

    CallEvents(
            Endpoint endpoint,
            Tables tables,
            Output output,
            Transmitter transmitter,
            Counters counters,
            long deadTimeMillis,
            long idleTimeoutMillis) {
        this.endpoint = endpoint;
        this.tables = tables;
        this.output = output;
        this.transmitter = transmitter;
        this.counters = counters;
        this.deadTimeNanos = deadTimeMillis * 1_000_000L;
        this.idleTimeoutNanos = idleTimeoutMillis * 1_000_000L;
        this.keepaliveNanos = deadTimeNanos / 6;
    }

    /** A client call takes a free channel (of a shared connection, or a new one) and starts sending. */
    void startClient(Call call, long now) {
        Connection conn = tables.clientConnectionFor(call, now);
        int ch = conn.freeChannel();
        int number = conn.channelCallNumber[ch] + 1;
        conn.channelCallNumber[ch] = number;
        conn.channelCall[ch] = call;
        conn.activeCalls++;
        call.conn = conn;
        call.channel = ch;
        call.callNumber = number;
        call.started = true;
        call.startNanos = now;
        call.lastReceiveNanos = now;
        call.lastSendNanos = now;
        call.ssthresh = 128;
        if (call.options.hardTimeoutMillis() > 0)
            call.hardDeadline = now + call.options.hardTimeoutMillis() * 1_000_000L;
        call.busyGiveUpAt = now + call.options.busyRetryMillis() * 1_000_000L;
        tables.touch(conn);
        endpoint.addLive(call);
        counters.inc(Counter.CLIENT_CALLS_STARTED);
        RxLog.clientCallStarted(call);
    }

    /** An application thread asked for the I/O thread's attention. */
    void serviceRequest(Call call, long now) {
        call.ioDequeued();
        if (call.state.isComplete()) return;
        int abort = call.pendingAbortCode;
        if (abort != 0) {
            abortLocally(call, abort, true);
            return;
        }
        if (call.client && !call.started) startClient(call, now);
        if (!call.started) return;
        transmitter.pump(call, now);
        if (call.wantWindowUpdate
                || call.rxAdvertisedWindow < endpoint.options.receiveWindow() / 2
                        && call.rxAdvertisedWindow > 0
                        && !call.rxComplete()) {
            call.wantWindowUpdate = false;
            if (output.receiveWindow(call) > call.rxAdvertisedWindow)
                output.sendAck(call, Wire.ACK_DELAY, 0, false, now);
        }
        scheduleTimers(call, now);
    }

    /** After input for the call: flush an urgent ACK now, or arm the delayed-ACK timer. */
    void afterInput(Call call, long now) {
        if (call.state.isComplete()) return;
        int reason = call.rxPendingAckReason;
        if (reason != 0 && Receiver.urgent(reason)) {
            output.sendAck(call, reason, call.rxPendingAckSerial, false, now);
        } else if (call.rxPendingAckPackets >= 2) {
            output.sendAck(call, Wire.ACK_IDLE, call.rxPendingAckSerial, false, now);
        } else if (call.rxPendingAckPackets > 0 && call.ackDeadline == 0) {
            long srtt = call.conn.peer.srttNanos;
            call.ackDeadline = now + Math.max(1_000_000L, Math.min(srtt, 100_000_000L));
        }
        call.rxPendingAckSerial = 0;
        transmitter.pump(call, now);
        scheduleTimers(call, now);
    }

    /** Runs the call's expired timers. */
    @Override
    public void timers(Call call, long now) {
        if (call.state.isComplete() || !call.started) return;
        if (call.hardDeadline != 0 && now - call.hardDeadline >= 0) {
            abortLocally(call, AbortCodes.RX_CALL_TIMEOUT, true);
            return;
        }
        if (now - call.lastReceiveNanos >= deadTimeNanos) {
            if (call.state == CallState.SERVER_AWAITING_FINAL_ACK && transmitter.allSoftAcked(call)) {
                // The client had every reply packet and went away without its final ACK (an OpenAFS
                // client that exits does): done, as OpenAFS counts a reply soft-ACKed in full.
                complete(call, CallState.SUCCEEDED, 0);
            } else {
                RxLog.peerDead(call, now, deadTimeNanos / 1_000_000);
                abortLocally(call, AbortCodes.RX_CALL_DEAD, true);
            }
            return;
        }
        if (!call.client
                && call.state == CallState.SERVER_RECEIVING_REQUEST
                && now - call.lastDataReceiveNanos >= idleTimeoutNanos) {
            abortLocally(call, AbortCodes.RX_CALL_TIMEOUT, true);
            return;
        }
        if (call.busyRetryAt != 0 && now - call.busyRetryAt >= 0) {
            call.busyRetryAt = 0;
            transmitter.pump(call, now);
        }
        if (call.ackDeadline != 0 && now - call.ackDeadline >= 0) {
            call.ackDeadline = 0;
            output.sendAck(call, Wire.ACK_DELAY, 0, false, now);
        }
        if (call.rtoDeadline != 0 && now - call.rtoDeadline >= 0) transmitter.rtoExpired(call, now);
        if (now - call.lastSendNanos >= keepaliveNanos) output.sendAck(call, Wire.ACK_PING, 0, true, now);
        scheduleTimers(call, now);
    }

    /** Sets the call's next timer to its earliest deadline and tells the endpoint. */
    void scheduleTimers(Call call, long now) {
        if (call.state.isComplete() || !call.started) return;
        long next = call.lastSendNanos + keepaliveNanos;
        next = earliest(next, call.lastReceiveNanos + deadTimeNanos);
        if (call.hardDeadline != 0) next = earliest(next, call.hardDeadline);
        if (call.ackDeadline != 0) next = earliest(next, call.ackDeadline);
        if (call.rtoDeadline != 0) next = earliest(next, call.rtoDeadline);
        if (call.busyRetryAt != 0) next = earliest(next, call.busyRetryAt);
        if (!call.client && call.state == CallState.SERVER_RECEIVING_REQUEST)
            next = earliest(next, call.lastDataReceiveNanos + idleTimeoutNanos);
        endpoint.schedule(call, next);
    }

    private static long earliest(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    /**
     * The server refused the call with BUSY: it never started, so it is delayed and retried on the same
     * channel with the same call number (so it can never run twice), backing off, until the options'
     * busy-retry time runs out.
     */
    void busyReceived(Call call, long now) {
        counters.inc(Counter.BUSY_RECEIVED);
        if (!call.client || call.heardFromPeer || call.state.isComplete()) return;
        if (now - call.busyGiveUpAt >= 0) {
            complete(call, CallState.BUSY, AbortCodes.RX_CALL_BUSY);
            return;
        }
        long elapsed = now - call.startNanos;
        long delay = Math.min(BUSY_MAX_RETRY_NANOS, Math.max(BUSY_FIRST_RETRY_NANOS, elapsed / 2));
        // Everything sent is presumed not taken: send it all again after the delay.
        call.busyRetryAt = now + delay;
        transmitter.requeueAll(call);
        scheduleTimers(call, now);
    }

    /** Aborts a live call from our side; sends the ABORT when asked. */
    void abortLocally(Call call, int code, boolean send) {
        if (call.state.isComplete()) return;
        if (send && call.conn != null) output.sendAbort(call.conn, call.channel, call.callNumber, code);
        complete(call, CallState.LOCALLY_ABORTED, code);
    }

    void abortedByPeer(Call call, int code) {
        complete(call, CallState.REMOTELY_ABORTED, code);
    }

    /** Ends a call: frees its channel, publishes the state, frees its buffers, tells the application. */
    void complete(Call call, CallState finalState, int code) {
        if (call.state.isComplete()) return;
        Connection conn = call.conn;
        if (conn != null && conn.channelCall[call.channel] == call) {
            conn.channelCall[call.channel] = null;
            conn.channelLastAbort[call.channel] = finalState == CallState.SUCCEEDED ? 0 : code;
            conn.channelLastReplySeq[call.channel] = call.client ? call.rxLastSeq : 0;
            conn.activeCalls--;
            conn.lastActiveNanos = System.nanoTime();
        }
        boolean wasLive = call.onLiveList;
        endpoint.removeLive(call);
        if (wasLive && !call.client && call.listener != null) endpoint.serverCallEnded(call);
        switch (finalState) {
            case SUCCEEDED:
                counters.inc(Counter.CALLS_SUCCEEDED);
                break;
            case REMOTELY_ABORTED:
                counters.inc(Counter.CALLS_ABORTED_REMOTELY);
                break;
            default:
                counters.inc(Counter.CALLS_ABORTED_LOCALLY);
        }
        RxLog.callEnded(call, finalState, code);
        call.publishCompletion(finalState, finalState == CallState.SUCCEEDED ? 0 : code);
        // Buffers only after the end is published: an application thread still sending or closing then
        // either sees the end or has its packets seen here (Call.publishPartial, Call.takeUnread).
        transmitter.releaseAll(call);
        Receiver.releaseUndelivered(call);
        if (call.isReleased()) call.takeUnread();
        notifyReceiver(call);
    }

    /** Tells the call's receive notifier (never lets its exceptions reach the I/O loop). */
    void notifyReceiver(Call call) {
        endpoint.handedToApplication();
        call.wakeWaiters();
        ReceiveNotifier n = call.notifyRx;
        if (n == null) return;
        try {
            n.dataReady(call, call.userCallId);
        } catch (RuntimeException e) {
            LOG.warn("receive notifier of {} threw", call, e);
        }
    }
}
