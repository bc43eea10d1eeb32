package org.rxrpc.transport;

/**
 * The preallocation of one listening service: rings of peers, connections and calls, each holding at
 * most the backlog (1..32). A charge tops the peer and connection rings up to the number of charged
 * calls, so the I/O thread always finds a spare connection and peer for a call it takes, without
 * allocating (net/rxrpc/call_accept.c, rxrpc_service_prealloc_one).
 */
final class Backlog {
    static final int MAX = BacklogRing.SIZE;

    final BacklogRing<Peer> peers = new BacklogRing<>();
    final BacklogRing<Connection> conns = new BacklogRing<>();
    final BacklogRing<Call> calls = new BacklogRing<>();

    /** Producer side (caller holds the listener's charge lock): adds one call and the spares it may need. */
    void charge(Call call) {
        int wanted = calls.count() + 1;
        if (peers.count() < wanted) peers.push(new Peer());
        if (conns.count() < wanted) conns.push(new Connection());
        calls.push(call);
    }

    /** True if a new call needing a peer and/or connection from the rings can be made live now. */
    boolean canSupply(boolean needPeer, boolean needConn) {
        return calls.count() > 0 && (!needPeer || peers.count() > 0) && (!needConn || conns.count() > 0);
    }
}
