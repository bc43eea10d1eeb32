package org.rxrpc.transport;

import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.security.ServerConnectionSecurity;
import org.rxrpc.security.ServerSecurity;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.transport.wire.Wire;

/**
 * The security handshake of one server connection, made ahead of time with the connection by the
 * service's charging worker ({@link Backlog#charge}): a fresh state from every accepted class that has a
 * challenge, and room for the calls and packets held until the client's RESPONSE is verified. The I/O
 * thread only fills it in ({@link Handshakes}), so a new call on a new secured connection allocates nothing.
 */
final class ServerHandshake {
    /** Datagrams held per connection while it is challenged; more are dropped (the client retransmits). */
    static final int HELD_MAX = 8;

    final Connection conn;
    private final ServiceSecurity service;
    private final ServerConnectionSecurity[] states;

    /** The state of the class the connection's first packet named, once bound; else null. */
    ServerConnectionSecurity state;
    /** Calls taken from the backlog for this connection and not yet offered to the service, by channel. */
    final Call[] heldCalls = new Call[Wire.MAX_CALLS];
    /** Copies of the held datagrams, in arrival order (pooled buffers, chained when longer than one). */
    final PacketBuffer[] held = new PacketBuffer[HELD_MAX];

    final int[] heldLengths = new int[HELD_MAX];
    int heldCount;

    /** A CHALLENGE is outstanding: a RESPONSE is expected. */
    boolean challenging;

    int challengesSent;
    long nextChallengeNanos;
    /** When the held calls are given up (the first challenge plus the endpoint's challengeTimeoutMillis). */
    long giveUpNanos;
    /** The list of connections being challenged (Handshakes). */
    ServerHandshake prevPending;

    ServerHandshake nextPending;
    boolean pending;
    /** Who the client is: made by the first thread that asks, once authenticated (it allocates), then kept. */
    private volatile SecurityIdentity identity;

    /** Worker thread: one new state per accepted class with a challenge (they may allocate, draw nonces). */
    ServerHandshake(Connection conn, ServiceSecurity service) {
        this.conn = conn;
        this.service = service;
        this.states = new ServerConnectionSecurity[service.classes().size()];
        for (int i = 0; i < states.length; i++) {
            ServerSecurity s = service.classes().get(i);
            if (s.requiresChallenge()) states[i] = s.newConnectionState();
        }
    }

    /** The preallocated state for {@code index}, or null if that class has no challenge or is not accepted. */
    ServerConnectionSecurity stateFor(int index) {
        for (int i = 0; i < states.length; i++) {
            if (states[i] != null && service.classes().get(i).index() == index) return states[i];
        }
        return null;
    }

    /**
     * The authenticated client's identity, for the connection's calls (RxCall.identity): made on the first
     * request, off the packet path, and kept. Any thread once a call is live: the state is not written after
     * the RESPONSE that authenticated it (a repeated one is not verified again), so two threads racing here
     * make equal objects and either may be kept.
     */
    SecurityIdentity identity() {
        SecurityIdentity id = identity;
        if (id != null) return id;
        ServerConnectionSecurity s = state;
        if (s == null || !s.isAuthenticated()) return null;
        id = s.identity();
        identity = id;
        return id;
    }

    ServiceSecurity service() {
        return service;
    }

    boolean holdsCalls() {
        for (Call c : heldCalls) {
            if (c != null) return true;
        }
        return false;
    }
}
