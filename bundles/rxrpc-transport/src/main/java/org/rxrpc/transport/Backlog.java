package org.rxrpc.transport;

/**
 * The preallocation of one listening service: rings of peers, connections and calls, each holding at
 * most the backlog (1..32), with #calls &gt;= #conns &gt;= #peers at all times, as in Linux's
 * rxrpc_service_prealloc_one: a call needs at most one new connection and a connection at most one new
 * peer, so more would never be used. The I/O thread takes from the rings without allocating.
 */
final class Backlog {
    static final int MAX = BacklogRing.SIZE;

    final BacklogRing<Peer> peers = new BacklogRing<>();
    final BacklogRing<Connection> conns = new BacklogRing<>();
    final BacklogRing<Call> calls = new BacklogRing<>();

    /**
     * Producer side (the caller holds the listener's charge lock): adds one call, then tops the
     * connection ring up to the calls and the peer ring up to the connections. Publishing in that order
     * keeps the invariant true at every instant the I/O thread may look.
     */
    void charge(Call call) {
        calls.push(call);
        if (conns.count() < calls.count()) conns.push(new Connection());
        if (peers.count() < conns.count()) peers.push(new Peer());
    }

    /** True if a new call needing a peer and/or connection from the rings can be made live now. */
    boolean canSupply(boolean needPeer, boolean needConn) {
        return calls.count() > 0 && (!needPeer || peers.count() > 0) && (!needConn || conns.count() > 0);
    }

    /**
     * Consumer side, after taking what a new call needed: drops spares that can no longer be used (a
     * call that came on a known connection leaves one connection too many), restoring the invariant.
     */
    void trim() {
        while (conns.count() > calls.count()) conns.take();
        while (peers.count() > conns.count()) peers.take();
    }
}
