package org.rxrpc.transport;

import org.rxrpc.security.ServiceSecurity;

/**
 * The preallocation of one listening service, as Linux's struct rxrpc_backlog: rings of peers,
 * connections and calls, each holding at most the backlog (1..32).
 *
 * <p>A charge tops the peer ring, then the connection ring, up to one more than the calls already
 * charged, and publishes the call last. The I/O thread reads the call count first, then the
 * connections, then the peers, and takes in the order peer, connection, call. So whenever it looks,
 * #peers &gt;= #conns &gt;= #calls (Linux asserts exactly this in rxrpc_alloc_incoming_call), and a
 * charged call always finds a connection and a peer whatever the new call needs. Spare peers and
 * connections simply wait in their rings for later calls: nothing is trimmed, so nothing races the
 * producer.
 */
final class Backlog {
    static final int MAX = BacklogRing.SIZE;

    /**
     * The classes the service accepts: connections are charged with a handshake state for them. Written by
     * the I/O thread when they change (Listener.changeSecurity), read by each charge.
     */
    private volatile ServiceSecurity security;

    final BacklogRing<Peer> peers = new BacklogRing<>();
    final BacklogRing<Connection> conns = new BacklogRing<>();
    final BacklogRing<Call> calls = new BacklogRing<>();

    /** What the last {@link #take} took besides the call (I/O thread scratch, no allocation). */
    Peer takenPeer;

    Connection takenConn;
    /** Observations that found the invariant broken (never expected; Linux would BUG). I/O thread. */
    long invariantBroken;

    Backlog() {
        this(ServiceSecurity.NULL_ONLY);
    }

    Backlog(ServiceSecurity security) {
        this.security = security;
    }

    /** I/O thread: the classes the next charges prepare connections for. */
    void security(ServiceSecurity next) {
        security = next;
    }

    /**
     * A connection for the ring: with the per-connection state of every accepted class with a challenge
     * (ServerSecurity.newConnectionState, allocating here on the charging thread, never on the I/O thread).
     */
    private Connection newConnection() {
        Connection c = new Connection();
        ServiceSecurity s = security;
        if (s.requiresChallenge()) c.handshake = new ServerHandshake(c, s);
        return c;
    }

    /**
     * Producer side, under the listener's charge lock, with room for one more call: tops the peer and
     * connection rings up to (#calls + 1), then publishes the call.
     *
     * <p>The counts are read calls, connections, peers: the reverse of the order in which the I/O thread
     * takes. If we see a connection it took, we therefore also see the peer it took just before, so we
     * never add a connection while believing in a spare peer that is already gone. (Linux reads the peer
     * ring before the connection ring: a take between the two reads can leave #peers &lt; #conns, e.g.
     * 2/2/1 becomes 1/2/1. A charged call still finds a peer, but its assertion would fire; measured here
     * by BacklogRingsUnderConcurrentChargeAndTakeTest.)
     */
    void charge(Call call) {
        int wanted = calls.count() + 1;
        boolean connWanted = conns.count() < wanted;
        boolean peerWanted = peers.count() < wanted;
        if (peerWanted) peers.push(new Peer());
        if (connWanted) conns.push(newConnection());
        calls.push(call);
    }

    /**
     * I/O thread: takes a charged call, and a peer and a connection if the new call needs them (left in
     * {@link #takenPeer} / {@link #takenConn}).
     *
     * @return the call, or null if none is charged (or the service is closing and took it first)
     */
    Call take(boolean needPeer, boolean needConn) {
        int nCalls = calls.count();
        if (nCalls == 0) return null;
        int nConns = conns.count();
        int nPeers = peers.count();
        if (nConns < nCalls || nPeers < nConns) {
            invariantBroken++;
            return null;
        }
        takenPeer = needPeer ? peers.take() : null;
        takenConn = needConn || needPeer ? conns.take() : null;
        return calls.take();
    }
}
