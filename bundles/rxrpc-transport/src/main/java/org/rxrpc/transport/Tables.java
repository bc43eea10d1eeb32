package org.rxrpc.transport;

import org.rxrpc.api.Counter;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.util.LongHashMap;

/**
 * The I/O thread's peers and connections (Linux peer_object.c, conn_service.c, conn_object.c): lookup,
 * insertion, reaping of idle ones, and the caps on what clients can make us hold. The tables are sized
 * from the caps at start, so they never grow; at a cap the least recently used idle entry is evicted,
 * and if none is idle the new call is refused (BUSY). Both lists are kept in recency order: the head is
 * the most recently used.
 */
final class Tables {
    private static final long DEDICATED_CONN_LINGER_NANOS = 2_000_000_000L;

    private final Counters counters;
    private final int maxPeers;
    private final int maxServerConnections;
    private final long connectionIdleNanos;
    private final int epoch;
    private int nextCidCounter;

    /** Peers by address key; peers whose keys collide (IPv6) are chained by sameKeyNext. */
    private final LongHashMap<Peer> peers;

    private int peerCount;
    /** The client side's scratch address (I/O thread). */
    private final UdpAddress target = new UdpAddress();

    private final LongHashMap<Connection> serverConnections;
    private final LongHashMap<Connection> clientConnections = new LongHashMap<>(256);
    private Peer peerHead;
    private Peer peerTail;
    private Connection connHead;
    private Connection connTail;
    private int serverConnectionCount;

    Tables(Counters counters, int maxPeers, int maxServerConnections, long connectionIdleMillis, int epoch, int cid0) {
        this.counters = counters;
        this.maxPeers = maxPeers;
        this.maxServerConnections = maxServerConnections;
        this.connectionIdleNanos = connectionIdleMillis * 1_000_000L;
        this.epoch = epoch;
        this.nextCidCounter = cid0;
        // Half full at the cap: the maps never grow.
        peers = new LongHashMap<>(2 * maxPeers);
        serverConnections = new LongHashMap<>(2 * maxServerConnections);
    }

    int peerCount() {
        return peerCount;
    }

    int connectionCount() {
        return serverConnectionCount + clientConnections.size();
    }

    int serverConnectionCount() {
        return serverConnectionCount;
    }

    Peer firstPeer() {
        return peerHead;
    }

    Connection firstConnection() {
        return connHead;
    }

    // ---- peers ----

    Peer peer(UdpAddress address) {
        Peer p = peers.get(address.key());
        while (p != null && !p.address.sameAs(address)) p = p.sameKeyNext;
        return p;
    }

    void addPeer(Peer p) {
        p.sameKeyNext = peers.put(p.address.key(), p);
        peerCount++;
        p.prev = null;
        p.next = peerHead;
        if (peerHead != null) peerHead.prev = p;
        else peerTail = p;
        peerHead = p;
        counters.inc(Counter.PEERS_CREATED);
    }

    private void unlinkPeer(Peer p) {
        long key = p.address.key();
        Peer head = peers.get(key);
        if (head == p) {
            if (p.sameKeyNext != null) peers.put(key, p.sameKeyNext);
            else peers.remove(key);
        } else {
            while (head != null && head.sameKeyNext != p) head = head.sameKeyNext;
            if (head != null) head.sameKeyNext = p.sameKeyNext;
        }
        p.sameKeyNext = null;
        peerCount--;
        if (p.prev != null) p.prev.next = p.next;
        else peerHead = p.next;
        if (p.next != null) p.next.prev = p.prev;
        else peerTail = p.prev;
        p.prev = null;
        p.next = null;
    }

    // ---- server connections ----

    Connection serverConnection(Peer peer, int connEpoch, int cid) {
        Connection c = serverConnections.get(Connection.serverKey(connEpoch, cid));
        while (c != null && c.peer != peer) c = c.sameKeyNext;
        return c;
    }

    void addServerConnection(Connection c) {
        long key = Connection.serverKey(c.epoch, c.cid);
        c.sameKeyNext = serverConnections.put(key, c);
        serverConnectionCount++;
        linkConnection(c);
    }

    /**
     * Makes room for what a new incoming call needs (a peer and/or a connection), evicting the least
     * recently used idle ones at the caps.
     *
     * @return false if a table is full of entries in use: refuse the call
     */
    boolean roomForIncoming(boolean needPeer, boolean needConn) {
        if (needConn && serverConnectionCount >= maxServerConnections && !evictIdleServerConnection()) {
            counters.inc(Counter.NEW_CALLS_REFUSED_TABLES_FULL);
            return false;
        }
        if (needPeer && peerCount >= maxPeers && !evictIdlePeer()) {
            counters.inc(Counter.NEW_CALLS_REFUSED_TABLES_FULL);
            return false;
        }
        return true;
    }

    private boolean evictIdleServerConnection() {
        for (Connection c = connTail; c != null; c = c.prev) {
            if (!c.weAreClient && c.activeCalls == 0) {
                removeConnection(c);
                counters.inc(Counter.CONNECTIONS_EVICTED);
                return true;
            }
        }
        return false;
    }

    private boolean evictIdlePeer() {
        for (Peer p = peerTail; p != null; p = p.prev) {
            if (p.connections == 0) {
                unlinkPeer(p);
                counters.inc(Counter.PEERS_EVICTED);
                return true;
            }
        }
        return false;
    }

    // ---- client connections ----

    Connection clientConnection(int cid) {
        return clientConnections.get((cid >>> 2) & 0x3FFFFFFFL);
    }

    /** A client connection with a free channel for the call's service, peer and security, made if need be. */
    Connection clientConnectionFor(Call call, long now) {
        target.set(call.peerAddress);
        Peer peer = peer(target);
        if (peer == null) {
            peer = new Peer();
            peer.init(target, now);
            addPeer(peer);
        }
        peer.lastUsedNanos = now;
        if (!call.options.newConnection()) {
            for (int i = 0; i < peer.clientConnCount; i++) {
                Connection c = peer.clientConns[i];
                if (!c.dedicated
                        && c.serviceId == call.serviceId
                        && c.clientSecurity == call.options.security()
                        && c.securityAbort == 0
                        && c.freeChannel() >= 0) return c;
            }
        }
        Connection c = new Connection();
        int cid = nextCidCounter << 2;
        nextCidCounter = nextCidCounter >= 0x3FFFFFFF ? 1 : nextCidCounter + 1;
        c.initClient(peer, epoch, cid, call.serviceId, call.options.newConnection(), now);
        // Keyed from the token when made, so that packets are secured from the first DATA on.
        org.rxrpc.security.ClientSecurity security = call.options.security();
        c.clientSecurity = security;
        c.securityIndex = security.index();
        c.security = security.newConnection(epoch, cid);
        clientConnections.put((cid >>> 2) & 0x3FFFFFFFL, c);
        peer.addClientConn(c);
        linkConnection(c);
        return c;
    }

    // ---- both ----

    private void linkConnection(Connection c) {
        c.peer.connections++;
        c.prev = null;
        c.next = connHead;
        if (connHead != null) connHead.prev = c;
        else connTail = c;
        connHead = c;
        counters.inc(Counter.CONNECTIONS_CREATED);
        RxLog.connectionCreated(c);
    }

    /** A call started on the connection: it and its peer become the most recently used. */
    void touch(Connection c) {
        if (c != connHead) {
            unlinkFromList(c);
            c.next = connHead;
            connHead.prev = c;
            connHead = c;
        }
        Peer p = c.peer; // linked: a peer leaves the list only once it has no connections
        if (p != peerHead) {
            p.prev.next = p.next;
            if (p.next != null) p.next.prev = p.prev;
            else peerTail = p.prev;
            p.prev = null;
            p.next = peerHead;
            peerHead.prev = p;
            peerHead = p;
        }
    }

    private void unlinkFromList(Connection c) {
        if (c.prev != null) c.prev.next = c.next;
        else connHead = c.next;
        if (c.next != null) c.next.prev = c.prev;
        else connTail = c.prev;
        c.prev = null;
        c.next = null;
    }

    private void removeConnection(Connection c) {
        if (c.weAreClient) {
            clientConnections.remove((c.cid >>> 2) & 0x3FFFFFFFL);
            c.peer.removeClientConn(c);
        } else {
            long key = Connection.serverKey(c.epoch, c.cid);
            Connection head = serverConnections.get(key);
            if (head == c) {
                if (c.sameKeyNext != null) serverConnections.put(key, c.sameKeyNext);
                else serverConnections.remove(key);
            } else {
                while (head != null && head.sameKeyNext != c) head = head.sameKeyNext;
                if (head != null) head.sameKeyNext = c.sameKeyNext;
            }
            c.sameKeyNext = null;
            serverConnectionCount--;
        }
        unlinkFromList(c);
        c.peer.connections--;
        c.peer.lastUsedNanos = System.nanoTime();
        RxLog.connectionRemoved(c, c.peer.lastUsedNanos - c.lastActiveNanos);
        counters.inc(Counter.CONNECTIONS_REAPED);
    }

    /** Drops connections and peers idle for longer than their limits (run about once a second). */
    void reap(long now) {
        // Oldest first, from the tail; a connection in use stops nothing (calls keep it from the head).
        for (Connection c = connTail; c != null; ) {
            Connection prev = c.prev;
            long limit = c.dedicated ? DEDICATED_CONN_LINGER_NANOS : connectionIdleNanos;
            if (c.activeCalls == 0 && now - c.lastActiveNanos > limit) removeConnection(c);
            c = prev;
        }
        for (Peer p = peerTail; p != null; ) {
            Peer prev = p.prev;
            if (p.connections == 0 && now - p.lastUsedNanos > connectionIdleNanos) {
                unlinkPeer(p);
                counters.inc(Counter.PEERS_REAPED);
            }
            p = prev;
        }
    }
}
