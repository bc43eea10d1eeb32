package org.rxrpc.transport;

import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Wire;

/**
 * What we know of one remote UDP address: its round-trip time (RFC 6298, as Linux keeps it per peer)
 * and the sizes its ACK trailers allow. Owned by the I/O thread.
 */
final class Peer {
    static final long INITIAL_RTO_NANOS = 1_000_000_000L;
    static final long MIN_RTO_NANOS = 200_000_000L;
    static final long MAX_RTO_NANOS = 60_000_000_000L;

    /** Set once, when the peer is made (the object comes preallocated from a backlog or the client side). */
    final UdpAddress address = new UdpAddress();
    /** Another peer whose address has the same key (IPv6 hashes), in the peer table. */
    Peer sameKeyNext;

    long srttNanos;
    long rttvarNanos;
    long rtoNanos = INITIAL_RTO_NANOS;
    int rttSamples;

    /** Largest datagram the peer accepts; 1444 until its ACK trailer says otherwise. */
    int maxMtu = Wire.OUR_IF_MTU;
    /** Sub-packets per jumbogram the peer accepts; 1 (none) until its trailer allows more. */
    int jumboMax = 1;

    int connections;
    long lastUsedNanos;
    /** When a dead call to this peer was last logged (RxLog.peerDead), or 0. */
    long deadWarnedNanos;
    /** Client connections we opened to this peer, for channel reuse. */
    Connection[] clientConns = new Connection[4];

    int clientConnCount;
    /** Intrusive list of the endpoint's peers. */
    Peer prev;

    Peer next;

    void init(UdpAddress addr, long now) {
        address.copyFrom(addr);
        lastUsedNanos = now;
    }

    /** Adds a round-trip sample (RFC 6298: srtt gain 1/8, rttvar gain 1/4, RTO = srtt + 4 rttvar). */
    void addRttSample(long rttNanos) {
        if (rttNanos < 0) return;
        if (rttSamples == 0) {
            srttNanos = rttNanos;
            rttvarNanos = rttNanos / 2;
        } else {
            long delta = Math.abs(srttNanos - rttNanos);
            rttvarNanos += (delta - rttvarNanos) / 4;
            srttNanos += (rttNanos - srttNanos) / 8;
        }
        rttSamples++;
        rtoNanos = Math.min(MAX_RTO_NANOS, Math.max(MIN_RTO_NANOS, srttNanos + 4 * rttvarNanos));
    }

    /** Takes what an ACK trailer says; -1 fields were absent. */
    void updateFromTrailer(int peerMaxMtu, int peerJumboMax) {
        if (peerMaxMtu > 0) maxMtu = Math.max(520, Math.min(65535, peerMaxMtu));
        if (peerJumboMax >= 0) jumboMax = Math.max(1, Math.min(Wire.OUR_JUMBO_MAX, peerJumboMax));
    }

    void addClientConn(Connection c) {
        if (clientConnCount == clientConns.length) {
            Connection[] bigger = new Connection[clientConns.length * 2];
            System.arraycopy(clientConns, 0, bigger, 0, clientConnCount);
            clientConns = bigger;
        }
        clientConns[clientConnCount++] = c;
    }

    void removeClientConn(Connection c) {
        for (int i = 0; i < clientConnCount; i++) {
            if (clientConns[i] == c) {
                clientConns[i] = clientConns[--clientConnCount];
                clientConns[clientConnCount] = null;
                return;
            }
        }
    }
}
