package org.rxrpc.transport;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.AttachCallback;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Header;
import org.rxrpc.transport.wire.Wire;

/**
 * The seed, in one place: how an incoming call is preallocated, made live, kept or refused, and
 * discarded (Linux net/rxrpc/call_accept.c, commit 00e90712 "Preallocate peers, conns and calls for
 * incoming service requests").
 *
 * <ol>
 *   <li><b>Charge</b> (a service's worker, {@link #charge}): one call, and the peer and connection it may
 *       need, go into the service's {@link Backlog} rings, published peer, connection, call.
 *   <li><b>A new call</b> (I/O thread, {@link #newCall}): the first DATA of a call we do not have takes
 *       a call from the rings, plus a connection and a peer if the client is new ({@link #supply}); it is
 *       {@linkplain #makeLive made live}, its packet delivered, and the service told. Nothing is
 *       allocated and no other thread is involved.
 *   <li><b>Keep or BUSY</b> ({@link #keepOrBusy}): with nothing charged, the packet is kept in a
 *       preallocated slot instead of being refused, for up to newCallDeferMillis; only when the slots are
 *       full (or the setting is 0, the seed's own behaviour) is the client answered BUSY. The client
 *       keeps its call and retries it, so nothing is lost and nothing runs twice.
 *   <li><b>Replay</b> ({@link #replay}): the charge that can serve a kept call makes the I/O thread look
 *       at once (a volatile flag and a selector wake-up, with no window between them), and the kept
 *       packet goes through the same path as a fresh one. Supply is tried before expiry.
 *   <li><b>Discard</b> ({@link #discardAll}): closing a service hands every call still charged to its
 *       owner's discard notifier exactly once, on the closing thread, whatever the I/O thread is doing.
 *   <li><b>Drain</b> ({@link #startDrain}): the calls in progress of a closed service may finish within a
 *       grace period while new calls get BUSY; what is left then is aborted with RX_RESTARTING.
 * </ol>
 */
final class Accept {
    /** A call in its request phase counts as half-open once its client has been quiet this long. */
    private static final long HALF_OPEN_QUIET_NANOS = 20_000_000L;
    /**
     * A source's only half-open call is evicted only once quiet this long: longer than a client on a lossy
     * path waits to resend (a retransmission timeout), so a slow but honest request is not cut off.
     */
    private static final long LONE_HALF_OPEN_QUIET_NANOS = 250_000_000L;
    /** Fair admission looks at this many of a service's oldest calls at most. */
    private static final int EVICTION_SCAN_LIMIT = 256;

    private final Endpoint endpoint;
    private final CallEvents events;
    private final Tables tables;
    private final Counters counters;
    private final Output output;
    private final Handshakes handshakes;
    private final long deferNanos;
    private final Header kept = new Header();
    private Input input;
    /** Kept packets over all services (I/O thread). */
    private int keptTotal;
    /** Closed services still draining or answering BUSY (I/O thread; changes only when a service closes). */
    private final java.util.List<Listener> draining = new java.util.ArrayList<>();

    Accept(
            Endpoint endpoint,
            Tables tables,
            Counters counters,
            Output output,
            CallEvents events,
            Handshakes handshakes) {
        this.endpoint = endpoint;
        this.handshakes = handshakes;
        this.events = events;
        this.tables = tables;
        this.counters = counters;
        this.output = output;
        this.deferNanos = endpoint.options.newCallDeferMillis() * 1_000_000L;
    }

    /** Input delivers a new call's first packet; the two are made together. */
    void bind(Input in) {
        this.input = in;
    }

    // ---- 1. Charge: a service's worker ----

    /**
     * Preallocates one call for {@code userCallId} (-1: an anonymous call of user-socket mode), as
     * rxrpc_service_prealloc_one. The ID is in use from here until the call is released, exactly once.
     *
     * @throws ServiceClosedException if the service or its endpoint is closed
     * @throws BacklogFullException if the backlog is full
     * @throws CallIdInUseException if the ID is in use
     */
    static Call charge(Listener l, long userCallId, ReceiveNotifier notifyRx, AttachCallback attach) {
        Call call;
        synchronized (l.chargeLock) {
            if (l.isClosed() || l.endpoint.isClosed()) throw new ServiceClosedException("service " + l.serviceId);
            if (l.backlog.calls.count() + l.waitingCalls() >= l.backlogMax) {
                throw new BacklogFullException(l.serviceId, l.backlogMax);
            }
            if (userCallId != -1 && !l.idsInUse.add(userCallId)) throw new CallIdInUseException(userCallId);
            call = new Call(l.endpoint, false, l.serviceId, l, CallOptions.DEFAULT);
            call.userCallId = userCallId;
            call.notifyRx = notifyRx;
            if (attach != null) {
                try {
                    attach.attach(call, userCallId);
                } catch (RuntimeException | Error e) {
                    l.idsInUse.remove(userCallId); // nothing was charged: the ID is free again
                    throw e;
                }
            }
            l.backlog.charge(call);
        }
        // Pairs with the fence after a packet is kept: either the I/O thread sees this call when it
        // looks again, or we see its kept packet here and make it look now.
        VarHandle.fullFence();
        if (l.deferred != null && l.deferred.anyWaiting()) l.endpoint.replayWanted();
        return call;
    }

    // ---- 2. A new call: the I/O thread ----

    /**
     * The first packet (DATA, seq 1..32) of a call we do not have, for a service listened on
     * (rxrpc_new_incoming_call). {@code peer} and {@code conn} are null when the client is new to us.
     *
     * @return false if no call could be supplied: the caller keeps the packet or answers BUSY
     */
    boolean newCall(
            Listener l, Peer peer, Connection conn, Header h, ByteBuffer b, int length, UdpAddress from, long now) {
        if (l.isClosed()) return false; // draining: BUSY, the client retries
        Call call = conn == null ? null : Handshakes.takeHeld(conn, h.channel(), h.callNumber());
        if (call != null) {
            makeLive(call, conn, h.channel(), h.callNumber(), now); // held until its client was authenticated
        } else {
            call = supply(l, peer, conn, h, b, length, from, now);
            if (call == null) return false;
            if (call.state == CallState.PREALLOCATED) return true; // held: its client is being challenged
        }
        input.firstPacket(call, b, length, now); // readable before the owner hears of the call
        l.callMadeLive(call);
        endpoint.handedToApplication();
        if (l.backlog.calls.count() <= l.backlogMax / 4) endpoint.backlogLow();
        return true;
    }

    /**
     * Takes what the new call needs from the rings and puts it in place (rxrpc_alloc_incoming_call):
     * always a call; a connection unless the call came on a known one; a peer unless the address is
     * known. The rings' order guarantees that a charged call finds the rest. On a connection whose client
     * must first answer a challenge the call is held instead ({@link Handshakes#hold}): still PREALLOCATED,
     * not offered to the service.
     */
    private Call supply(
            Listener l,
            Peer peer,
            Connection conn,
            Header h,
            ByteBuffer packet,
            int length,
            UdpAddress from,
            long now) {
        Backlog b = l.backlog;
        boolean needPeer = peer == null;
        boolean needConn = conn == null;
        if (b.calls.count() == 0 || !tables.roomForIncoming(needPeer, needConn)) return null;
        Call call = b.take(needPeer, needConn);
        if (call == null) return null; // the service is closing and took it first
        if (needPeer) {
            peer = b.takenPeer;
            peer.init(from, now);
            tables.addPeer(peer);
        }
        if (needConn) {
            conn = b.takenConn;
            conn.initServer(peer, h.epoch(), h.cid() & ~Wire.CHANNEL_MASK, h.serviceId(), h.securityIndex(), now);
            if (!handshakes.bindServer(conn, l.security)) {
                // Charged before the service's classes changed: dropped with its call (the discard tells the
                // owner, who charges again); the packet waits for that charge.
                b.takenPeer = null;
                b.takenConn = null;
                discardUnused(call);
                return null;
            }
            tables.addServerConnection(conn);
        }
        b.takenPeer = null;
        b.takenConn = null;
        if (Handshakes.awaitingResponse(conn)) {
            handshakes.hold(conn, call, h.channel(), h.callNumber(), packet, length, now);
            return call;
        }
        makeLive(call, conn, h.channel(), h.callNumber(), now);
        return call;
    }

    /** A call taken from the backlog that will not go live: its owner's discard notifier, as for a held call. */
    private void discardUnused(Call call) {
        call.publishCompletion(CallState.LOCALLY_ABORTED, AbortCodes.RX_CALL_DEAD);
        counters.inc(Counter.CALLS_DISCARDED);
        call.release(); // the ID first: the owner may charge it again as soon as it hears
        call.listener.discarded(call);
    }

    /** A charged call takes its channel and becomes live. */
    private void makeLive(Call call, Connection conn, int channel, int callNumber, long now) {
        call.conn = conn;
        call.channel = channel;
        call.callNumber = callNumber;
        call.remote = conn.peer.address;
        call.startNanos = now;
        call.lastReceiveNanos = now;
        call.lastDataReceiveNanos = now;
        call.lastSendNanos = now;
        call.started = true;
        // The reply's packet layout under the connection's class (the application reads it once live).
        call.txDataOffset = conn.security.securityHeaderSize();
        call.txMaxData = conn.security.maxDataPerPacket(Wire.JUMBO_DATA_SIZE);
        // Who called, for the service: the class and level (plain ints) and the handshake that makes the
        // identity on request, off this thread (nothing allocated here).
        call.securityIndex = conn.securityIndex;
        call.securityLevel = conn.security.level();
        call.handshake = conn.handshake;
        call.state = CallState.SERVER_RECEIVING_REQUEST;
        conn.channelCall[channel] = call;
        conn.channelCallNumber[channel] = callNumber;
        conn.activeCalls++;
        Listener l = call.listener;
        l.liveCalls++;
        call.nextInService = null;
        call.prevInService = l.newestLive;
        if (l.newestLive != null) l.newestLive.nextInService = call;
        else l.oldestLive = call;
        l.newestLive = call;
        tables.touch(conn);
        endpoint.addLive(call);
        counters.inc(Counter.CALLS_MADE_LIVE);
        RxLog.serverCallLive(call);
    }

    // ---- 3. Keep or BUSY ----

    /**
     * No call could be supplied: keep the packet for the next charge, or answer BUSY. A lone source may
     * fill the slots; with others waiting, a source keeps at most a quarter (at least one) once half are
     * taken; and a newcomer that is kept makes room for itself by evicting a half-open call of whoever holds
     * the most.
     */
    void keepOrBusy(Listener l, Header h, ByteBuffer b, int length, UdpAddress from, long now) {
        DeferredCalls d = l.deferred;
        if (d != null && !l.isClosed()) {
            if (d.holds(h.epoch(), h.cid(), h.callNumber(), from)) {
                counters.inc(Counter.DUPLICATE_DATA_RECEIVED); // a retransmission of a kept packet
                return;
            }
            if (mayKeep(d, from)
                    && (d.count() < d.capacity() || makeRoomForNewcomer(l, from, now))
                    && d.add(b, length, from, now)) {
                counters.inc(Counter.CALLS_DEFERRED);
                keptTotal++;
                endpoint.timerAt(now + deferNanos);
                evictForNewcomer(l, from, now);
                return;
            }
        }
        l.busySent++;
        output.sendBusy(h, from);
    }

    /**
     * A source that is the only one waiting may take every slot: a busy client whose burst outran its
     * service's worker (the OpenAFS rxperf client at c=32 sends 32 first packets at once) waits for the
     * recharge rather than meeting BUSY, whose retry costs an OpenAFS client 3.6 s. Once others wait too, a
     * source keeps at most a quarter of the slots (at least one) beyond the first half, and a newcomer
     * finding them all taken makes room by sending the heaviest holder's oldest kept packet back to the end
     * of the line ({@link #makeRoomForNewcomer}), so one source still cannot keep others out.
     */
    private static boolean mayKeep(DeferredCalls d, UdpAddress from) {
        int mine = d.countFrom(from);
        return mine == d.count() || d.count() < d.capacity() / 2 || mine < Math.max(1, d.capacity() / 4);
    }

    // ---- Fair admission ----

    /**
     * A newcomer waits because every call of the service is taken: if some peer holds more half-open
     * calls (still in their request phase, and quiet for a moment) than the newcomer, the oldest of the
     * peer holding most is aborted (RX_CALL_TIMEOUT, counted) and that peer's kept calls are sent to the
     * back of the line, so that the slot serves the newcomer. A flood of calls that never
     * finish their request cannot keep others out; a client sending its request is never cut off, and a
     * source's only half-open call must have been quiet for {@link #LONE_HALF_OPEN_QUIET_NANOS}.
     */
    private void evictForNewcomer(Listener l, UdpAddress newcomer, long now) {
        int newcomerHolds = halfOpenOf(l, newcomer, now);
        Call victim = null;
        int most = newcomerHolds;
        int scanned = 0;
        for (Call c = l.oldestLive; c != null && scanned < EVICTION_SCAN_LIMIT; c = c.nextInService, scanned++) {
            if (!halfOpen(c, now) || c.conn.peer.address.sameAs(newcomer)) continue;
            int holds = halfOpenOf(l, c.conn.peer.address, now);
            if (holds == 1 && now - c.lastDataReceiveNanos < LONE_HALF_OPEN_QUIET_NANOS) continue;
            if (holds > most) { // strictly more: the oldest call of the heaviest peer
                most = holds;
                victim = c;
            }
        }
        if (victim == null) return;
        counters.inc(Counter.HALF_OPEN_CALLS_EVICTED);
        UdpAddress heavy = victim.conn.peer.address;
        // Its kept calls go back to the end of the line (BUSY: they retry), so the slot is the newcomer's.
        DeferredCalls d = l.deferred;
        for (int k = d.count() - 1; k >= 0; k--) {
            if (!d.sourceAt(k).sameAs(heavy)) continue;
            kept.wrap(d.packetAt(k), 0);
            l.busySent++;
            output.sendBusy(kept, d.sourceAt(k));
            d.removeAt(k);
            keptTotal--;
        }
        events.abortLocally(victim, AbortCodes.RX_CALL_TIMEOUT, true);
    }

    /**
     * Every kept slot is taken: the kept packet of whoever holds most (kept packets and half-open calls)
     * goes back to the end of the line (BUSY), if that is more than the newcomer holds.
     *
     * @return true if a slot was freed
     */
    private boolean makeRoomForNewcomer(Listener l, UdpAddress newcomer, long now) {
        DeferredCalls d = l.deferred;
        int most = d.countFrom(newcomer) + halfOpenOf(l, newcomer, now);
        int victim = -1;
        for (int k = 0; k < d.count(); k++) {
            UdpAddress s = d.sourceAt(k);
            int holds = d.countFrom(s) + halfOpenOf(l, s, now);
            if (holds > most) {
                most = holds;
                victim = k;
            }
        }
        if (victim < 0) return false;
        kept.wrap(d.packetAt(victim), 0);
        l.busySent++;
        output.sendBusy(kept, d.sourceAt(victim));
        d.removeAt(victim);
        keptTotal--;
        return true;
    }

    private static boolean halfOpen(Call c, long now) {
        return c.state == CallState.SERVER_RECEIVING_REQUEST && now - c.lastDataReceiveNanos >= HALF_OPEN_QUIET_NANOS;
    }

    private int halfOpenOf(Listener l, UdpAddress peer, long now) {
        int n = 0;
        int scanned = 0;
        for (Call c = l.oldestLive; c != null && scanned < EVICTION_SCAN_LIMIT; c = c.nextInService, scanned++) {
            if (halfOpen(c, now) && c.conn.peer.address.sameAs(peer)) n++;
        }
        return n;
    }

    int keptTotal() {
        return keptTotal;
    }

    // ---- 4. Replay ----

    /**
     * Makes kept calls live as far as the backlogs allow, oldest first; answers BUSY to those kept too
     * long. Supply comes first: a charge that arrived in time serves even a packet whose time is up.
     */
    void replay(Listener[] listeners, long now) {
        int remaining = 0;
        for (Listener l : listeners) {
            DeferredCalls d = l.deferred;
            if (d == null) continue;
            while (d.count() > 0) {
                if (l.backlog.calls.count() > 0) {
                    // A call whose whole request is in its first packet goes first: it will not hold its
                    // slot long, where one still waiting for its request may (a half-open flood).
                    int k = Math.max(0, d.firstComplete());
                    if (input.replay(d.packetAt(k), d.lengthAt(k), d.sourceAt(k), now)) {
                        d.removeAt(k);
                        continue;
                    }
                }
                if (now - d.oldestSince() < deferNanos) {
                    endpoint.timerAt(d.oldestSince() + deferNanos);
                    break;
                }
                kept.wrap(d.oldestPacket(), 0);
                l.busySent++;
                output.sendBusy(kept, d.oldestSource());
                d.removeOldest();
            }
            remaining += d.count();
        }
        keptTotal = remaining;
    }

    // ---- 5. Discard: the closing thread ----

    /**
     * Hands every call still charged to the service's discard notifier, once each, and releases them
     * (rxrpc_discard_prealloc). Safe while the I/O thread runs: a call is taken from the ring by one
     * side only. The spare peers and connections are simply dropped with the rings.
     */
    static void discardAll(Listener l) {
        Call call;
        while ((call = l.backlog.calls.take()) != null) {
            call.publishCompletion(CallState.LOCALLY_ABORTED, AbortCodes.RX_CALL_DEAD);
            l.endpoint.countDiscard();
            l.discarded(call);
            call.release();
        }
    }

    // ---- 6. Drain: the I/O thread, once a service is closed ----

    /**
     * A closed service stops being supplied at once; its calls in progress may finish within
     * {@code graceMillis} while new calls for it get BUSY (clients retry, and a service listened on
     * again serves them); then what is left is aborted with RX_RESTARTING, which a client can tell from a
     * bad request. With no grace the service is gone at once and its kept packets get OpenAFS's raw abort.
     */
    void startDrain(Listener l, long graceMillis, long now) {
        if (l.draining) return;
        l.draining = true;
        handshakes.forgetCallsOf(l); // held calls were never offered: discarded like charged ones
        l.drainDeadline = now + graceMillis * 1_000_000L;
        l.lingerUntil = l.drainDeadline;
        answerKept(l, graceMillis > 0);
        if (graceMillis == 0 || l.liveCalls == 0) finishDrain(l);
        if (graceMillis == 0) {
            endpoint.forget(l);
        } else {
            draining.add(l);
            endpoint.timerAt(l.drainDeadline);
        }
    }

    /** A server call ended (I/O thread). */
    void callEnded(Call call) {
        Listener l = call.listener;
        if (call.prevInService != null) call.prevInService.nextInService = call.nextInService;
        else l.oldestLive = call.nextInService;
        if (call.nextInService != null) call.nextInService.prevInService = call.prevInService;
        else l.newestLive = call.prevInService;
        call.prevInService = null;
        call.nextInService = null;
        l.liveCalls--;
        if (l.draining && l.liveCalls == 0) l.drained.complete(null);
    }

    boolean draining() {
        return !draining.isEmpty();
    }

    /** Ends drains whose grace period is over, and forgets services whose BUSY time is over. */
    void tendDraining(long now) {
        for (int i = draining.size() - 1; i >= 0; i--) {
            Listener l = draining.get(i);
            if (now - l.drainDeadline >= 0) finishDrain(l);
            if (now - l.lingerUntil >= 0) {
                endpoint.forget(l);
                draining.remove(i);
            } else {
                endpoint.timerAt(l.lingerUntil);
            }
        }
    }

    private void finishDrain(Listener l) {
        if (l.drained.isDone()) return;
        endpoint.abortCallsOf(l, AbortCodes.RX_RESTARTING);
        l.drained.complete(null);
    }

    /** The kept packets of a closed service: BUSY while it drains (they retry), else the raw abort. */
    private void answerKept(Listener l, boolean busy) {
        DeferredCalls d = l.deferred;
        if (d == null) return;
        while (d.count() > 0) {
            kept.wrap(d.oldestPacket(), 0);
            if (busy) {
                l.busySent++;
                output.sendBusy(kept, d.oldestSource());
            } else {
                output.sendRawAbort(kept, AbortCodes.RX_INVALID_OPERATION, d.oldestSource());
                counters.inc(Counter.DEFERRED_CALLS_ABORTED);
            }
            d.removeOldest();
            keptTotal--;
        }
    }
}
