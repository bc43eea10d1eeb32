package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.ServerConnectionSecurity;
import org.rxrpc.security.ServerSecurity;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.transport.wire.Wire;

/**
 * The server side of the security handshake, on the I/O thread (OpenAFS rxi_ChallengeOn /
 * rxi_ChallengeEvent / rxi_ReceiveResponsePacket, Linux conn_event.c): a call on a connection not yet
 * authenticated is held (its call taken from the backlog, its datagrams copied into pooled buffers) while
 * the client is challenged; a verified RESPONSE authenticates the connection and the held datagrams go
 * through the input path again, so the held calls go live exactly as if they had just arrived. A refused
 * RESPONSE aborts the connection with its class's code; an unanswered CHALLENGE is resent every
 * {@link #CHALLENGE_INTERVAL_NANOS} (OpenAFS's RX_CHALLENGE_TIMEOUT) until the endpoint's
 * challengeTimeoutMillis, then the held calls are aborted with RX_CALL_DEAD as OpenAFS does. Nothing here
 * allocates.
 */
final class Handshakes {
    static final long CHALLENGE_INTERVAL_NANOS = 2_000_000_000L;
    /**
     * How long a challenged connection's held calls wait for the RESPONSE (EndpointOptions
     * .challengeTimeoutMillis, 10 s): OpenAFS tries 50 times (100 s), but a held call holds a backlog slot.
     */
    private final long challengeTimeoutNanos;

    private final Endpoint endpoint;
    private final Counters counters;
    private final Output output;
    private final PacketPool pool;
    private Input input;
    /** A held datagram is copied back here to go through the input path again. */
    private final ByteBuffer replay = ByteBuffer.allocate(Wire.HEADER_SIZE + 16 * 1024 + 64);

    private ServerHandshake pendingHead;

    Handshakes(Endpoint endpoint, Counters counters, Output output, PacketPool pool) {
        this.endpoint = endpoint;
        this.counters = counters;
        this.output = output;
        this.pool = pool;
        this.challengeTimeoutNanos = endpoint.options.challengeTimeoutMillis() * 1_000_000L;
    }

    void bind(Input in) {
        this.input = in;
    }

    /**
     * A server connection just made for its first call's packet: binds its security state to the class the
     * packet named, which the service accepts now (the caller checked). A connection charged before the
     * service's classes changed may hold no state of that class object (or of its minimum level): it cannot
     * be bound without allocating.
     *
     * @return false if so: the caller drops it with the call taken beside it
     */
    boolean bindServer(Connection conn, ServiceSecurity accepted) {
        ServerSecurity current = accepted.forIndex(conn.securityIndex);
        if (current == null || !current.requiresChallenge()) {
            conn.handshake = null; // the null class: nothing to hold for
            conn.security = NullSecurity.INSTANCE;
            return current != null;
        }
        ServerHandshake hs = conn.handshake;
        if (hs == null
                || hs.service().forIndex(conn.securityIndex) != current
                || hs.service().minimumLevel(conn.securityIndex) != accepted.minimumLevel(conn.securityIndex)) {
            return false; // counted as the discard of its call
        }
        ServerConnectionSecurity state = hs.stateFor(conn.securityIndex);
        hs.state = state;
        state.open(conn.epoch, conn.cid);
        conn.security = state;
        return true;
    }

    /** Whether calls on this server connection must wait for the client's RESPONSE. */
    static boolean awaitingResponse(Connection conn) {
        ServerHandshake hs = conn.handshake;
        return hs != null && hs.state != null && !hs.state.isAuthenticated();
    }

    /**
     * Holds a new call, taken from the backlog for this connection, with its first datagram, and challenges
     * the client if no challenge is outstanding.
     */
    void hold(Connection conn, Call call, int channel, int callNumber, ByteBuffer b, int length, long now) {
        ServerHandshake hs = conn.handshake;
        // A newer call on a channel supersedes the one held there (the client gave up on it).
        if (hs.heldCalls[channel] != null) discardHeld(conn, channel);
        call.channel = channel;
        call.callNumber = callNumber;
        hs.heldCalls[channel] = call;
        conn.activeCalls++; // the connection is in use: not reaped nor evicted while it holds calls
        holdPacket(conn, b, length);
        if (!hs.challenging) {
            hs.challenging = true;
            hs.challengesSent = 0;
            hs.giveUpNanos = now + challengeTimeoutNanos;
            challenge(hs, now);
            link(hs);
        }
    }

    /** The held call on {@code channel} with {@code callNumber}, or null. */
    static Call heldCall(Connection conn, int channel, int callNumber) {
        ServerHandshake hs = conn.handshake;
        if (hs == null) return null;
        Call c = hs.heldCalls[channel];
        return c != null && c.callNumber == callNumber ? c : null;
    }

    /** Takes the held call for {@code channel}/{@code callNumber} to make it live (the connection is authenticated). */
    static Call takeHeld(Connection conn, int channel, int callNumber) {
        Call c = heldCall(conn, channel, callNumber);
        if (c != null) {
            conn.handshake.heldCalls[channel] = null;
            conn.activeCalls--; // makeLive counts it again
        }
        return c;
    }

    /** Another datagram of a held call: kept for the replay while there is room (else the client resends it). */
    void holdPacket(Connection conn, ByteBuffer b, int length) {
        ServerHandshake hs = conn.handshake;
        if (hs.heldCount == ServerHandshake.HELD_MAX || length > replay.capacity()) {
            counters.inc(Counter.DROP_NO_BUFFER);
            return;
        }
        PacketBuffer head = pool.tryAcquire();
        if (head == null) {
            counters.inc(Counter.DROP_NO_BUFFER);
            return;
        }
        PacketBuffer cur = head;
        int done = 0;
        while (true) {
            int n = Math.min(length - done, PacketBuffer.CAPACITY);
            b.get(done, cur.data, 0, n);
            cur.length = n;
            done += n;
            if (done == length) break;
            PacketBuffer more = pool.tryAcquire();
            if (more == null) {
                release(head);
                counters.inc(Counter.DROP_NO_BUFFER);
                return;
            }
            cur.next = more;
            cur = more;
        }
        hs.held[hs.heldCount] = head;
        hs.heldLengths[hs.heldCount] = length;
        hs.heldCount++;
    }

    private void challenge(ServerHandshake hs, long now) {
        output.sendChallenge(hs.conn, hs.state);
        counters.inc(Counter.CHALLENGES_SENT);
        hs.challengesSent++;
        // The next resend, or the end of the wait if that comes first.
        long next = now + CHALLENGE_INTERVAL_NANOS;
        hs.nextChallengeNanos = next - hs.giveUpNanos < 0 ? next : hs.giveUpNanos;
        endpoint.timerAt(hs.nextChallengeNanos);
    }

    /** Whether connections are being challenged (the loop then calls {@link #tend}). */
    boolean anyPending() {
        return pendingHead != null;
    }

    /** Resends due challenges; gives up on connections challenged too often. */
    void tend(long now) {
        for (ServerHandshake hs = pendingHead; hs != null; ) {
            ServerHandshake next = hs.nextPending;
            if (now - hs.nextChallengeNanos >= 0) {
                if (now - hs.giveUpNanos >= 0) {
                    counters.inc(Counter.CHALLENGES_UNANSWERED);
                    abortHeld(hs, AbortCodes.RX_CALL_DEAD);
                } else {
                    challenge(hs, now);
                }
            } else {
                endpoint.timerAt(hs.nextChallengeNanos);
            }
            hs = next;
        }
    }

    /**
     * A RESPONSE (callNumber 0, from the client end) for a server connection. Verified: the connection is
     * authenticated and its held datagrams replayed. Refused: the connection is aborted with the code.
     * Without a CHALLENGE outstanding: dropped and counted, never aborted (anyone can send one).
     */
    void response(Connection conn, ByteBuffer b, int length, long now) {
        ServerHandshake hs = conn.handshake;
        if (hs == null || !hs.challenging || conn.securityAbort != 0) {
            counters.inc(Counter.DROP_UNEXPECTED_RESPONSE);
            return;
        }
        ServerConnectionSecurity state = hs.state;
        int position = b.position();
        int limit = b.limit();
        boolean verified;
        try {
            b.limit(length).position(Wire.HEADER_SIZE);
            verified = state.verifyResponse(b);
        } catch (SecurityFailure f) {
            counters.inc(Counter.RESPONSES_REJECTED);
            RxLog.securityRefused(conn, f);
            refuse(conn, f.abortCode());
            return;
        } finally {
            b.limit(limit).position(position);
        }
        if (!verified) {
            counters.inc(Counter.DROP_UNEXPECTED_RESPONSE);
            return;
        }
        if (state.level() < hs.service().minimumLevel(conn.securityIndex)) {
            counters.inc(Counter.SECURITY_LEVEL_REFUSED);
            refuse(conn, SecurityAbortCodes.RXKADLEVELFAIL);
            return;
        }
        counters.inc(Counter.CONNECTIONS_AUTHENTICATED);
        hs.challenging = false;
        unlink(hs);
        // Calls the client has moved past on a channel are old: they will never be offered.
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            Call c = hs.heldCalls[ch];
            int current = state.responseCallNumber(ch);
            if (c != null && current != 0 && c.callNumber - current < 0) discardHeld(conn, ch);
        }
        replayHeld(conn, now);
    }

    /** The held datagrams, in order, through the input path again; held calls nobody took are discarded. */
    private void replayHeld(Connection conn, long now) {
        ServerHandshake hs = conn.handshake;
        int n = hs.heldCount;
        for (int i = 0; i < n; i++) {
            PacketBuffer p = hs.held[i];
            int length = hs.heldLengths[i];
            hs.held[i] = null;
            replay.clear();
            for (PacketBuffer q = p; q != null; q = q.next) replay.put(q.data, 0, q.length);
            release(p);
            // Only datagrams of calls still held (or gone live by an earlier one): not of superseded calls.
            int channel = replay.getInt(org.rxrpc.transport.wire.Header.CID) & Wire.CHANNEL_MASK;
            int callNumber = replay.getInt(org.rxrpc.transport.wire.Header.CALL_NUMBER);
            Call live = conn.channelCall[channel];
            if (heldCall(conn, channel, callNumber) == null && (live == null || live.callNumber != callNumber)) {
                counters.inc(Counter.LATE_PACKETS);
                continue;
            }
            input.replay(replay, length, conn.peer.address, now);
        }
        hs.heldCount = 0;
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            if (hs.heldCalls[ch] != null) discardHeld(conn, ch); // its service closed meanwhile
        }
    }

    /** Aborts the connection for security: a connection ABORT with the code, held calls discarded. */
    void refuse(Connection conn, int code) {
        conn.securityAbort = code;
        output.sendAbort(conn, 0, 0, code);
        ServerHandshake hs = conn.handshake;
        if (hs != null) {
            hs.challenging = false;
            unlink(hs);
            dropHeld(hs);
        }
    }

    /** Gives up on a connection's handshake: each held call aborted with {@code code}, then discarded. */
    private void abortHeld(ServerHandshake hs, int code) {
        hs.challenging = false;
        unlink(hs);
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            Call c = hs.heldCalls[ch];
            if (c != null) output.sendAbort(hs.conn, ch, c.callNumber, code);
        }
        dropHeld(hs);
    }

    /** The client aborted the connection, or its service is closing: its held calls go back to their owner. */
    void forget(Connection conn) {
        ServerHandshake hs = conn.handshake;
        if (hs == null) return;
        hs.challenging = false;
        unlink(hs);
        dropHeld(hs);
    }

    /** A service closes: the held calls of its connections are discarded (they were never offered). */
    void forgetCallsOf(Listener l) {
        for (ServerHandshake hs = pendingHead; hs != null; ) {
            ServerHandshake next = hs.nextPending;
            for (Call c : hs.heldCalls) {
                if (c != null && c.listener == l) {
                    forget(hs.conn);
                    break;
                }
            }
            hs = next;
        }
    }

    private void dropHeld(ServerHandshake hs) {
        for (int i = 0; i < hs.heldCount; i++) {
            release(hs.held[i]);
            hs.held[i] = null;
        }
        hs.heldCount = 0;
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            if (hs.heldCalls[ch] != null) discardHeld(hs.conn, ch);
        }
    }

    /** A held call that will never go live: its owner's discard notifier, as for a charged call. */
    private void discardHeld(Connection conn, int channel) {
        Call call = conn.handshake.heldCalls[channel];
        conn.handshake.heldCalls[channel] = null;
        conn.activeCalls--;
        call.publishCompletion(CallState.LOCALLY_ABORTED, AbortCodes.RX_CALL_DEAD);
        counters.inc(Counter.CALLS_DISCARDED);
        call.release(); // the ID first: the owner may charge it again as soon as it hears (a live service)
        call.listener.discarded(call);
    }

    private void release(PacketBuffer p) {
        pool.release(p); // the whole chain
    }

    private void link(ServerHandshake hs) {
        if (hs.pending) return;
        hs.pending = true;
        hs.prevPending = null;
        hs.nextPending = pendingHead;
        if (pendingHead != null) pendingHead.prevPending = hs;
        pendingHead = hs;
    }

    private void unlink(ServerHandshake hs) {
        if (!hs.pending) return;
        hs.pending = false;
        if (hs.prevPending != null) hs.prevPending.nextPending = hs.nextPending;
        else pendingHead = hs.nextPending;
        if (hs.nextPending != null) hs.nextPending.prevPending = hs.prevPending;
        hs.prevPending = null;
        hs.nextPending = null;
    }
}
