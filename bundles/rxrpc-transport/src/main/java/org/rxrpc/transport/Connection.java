package org.rxrpc.transport;

import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.ConnectionSecurity;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.transport.wire.Wire;

/**
 * An Rx connection: (epoch, cid) between two endpoints for one service, with 4 channels each carrying
 * one call at a time, numbered 1, 2, 3... The channel remembers its last call so a late packet of it
 * can be answered. Owned by the I/O thread.
 */
final class Connection {
    Peer peer;
    int epoch;
    /** The cid with the channel bits clear. */
    int cid;

    int serviceId;
    int securityIndex;
    /** True if we are the client of this connection. */
    boolean weAreClient;
    /** A client connection made for a single call (CallOptions.newConnection). */
    boolean dedicated;

    /** The per-packet side of the connection's security class (both ends); the null class's by default. */
    ConnectionSecurity security = NullSecurity.INSTANCE;
    /** Client side: the class and token the connection was made for (calls share it only under the same). */
    ClientSecurity clientSecurity = NullSecurity.INSTANCE;
    /**
     * Server side: the handshake state preallocated with the connection by the charging worker when its
     * service accepts a class with a challenge; null otherwise.
     */
    ServerHandshake handshake;
    /** Non-zero once the connection was aborted for security (that code): packets on it get a connection ABORT. */
    int securityAbort;

    /** Serial of the next packet we send on this connection (OpenAFS starts at 1). */
    int nextSerial = 1;

    final Call[] channelCall = new Call[Wire.MAX_CALLS];
    /** The newest call number seen or used on each channel. */
    final int[] channelCallNumber = new int[Wire.MAX_CALLS];
    /** How each channel's last finished call ended: 0 success, else the abort code to repeat. */
    final int[] channelLastAbort = new int[Wire.MAX_CALLS];
    /** Client side: the last reply seq of each channel's finished call, to repeat the final ACK. */
    final int[] channelLastReplySeq = new int[Wire.MAX_CALLS];

    int activeCalls;
    long lastActiveNanos;

    /** Another connection with the same (epoch, cid) from a different peer. */
    Connection sameKeyNext;
    /** Intrusive list of the endpoint's connections. */
    Connection prev;

    Connection next;

    void initServer(Peer p, int connEpoch, int connCid, int service, int security, long now) {
        peer = p;
        epoch = connEpoch;
        cid = connCid;
        serviceId = service;
        securityIndex = security;
        weAreClient = false;
        lastActiveNanos = now;
    }

    void initClient(Peer p, int connEpoch, int connCid, int service, boolean single, long now) {
        peer = p;
        epoch = connEpoch;
        cid = connCid;
        serviceId = service;
        securityIndex = 0;
        weAreClient = true;
        dedicated = single;
        lastActiveNanos = now;
    }

    int takeSerial() {
        int s = nextSerial++;
        if (nextSerial == 0) nextSerial = 1;
        return s;
    }

    /** A channel with no call in progress, or -1. */
    int freeChannel() {
        for (int i = 0; i < Wire.MAX_CALLS; i++) {
            if (channelCall[i] == null) return i;
        }
        return -1;
    }

    /** Key of the server-side connection table. */
    static long serverKey(int epoch, int cid) {
        return ((long) epoch << 32) | ((cid >>> 2) & 0x3FFFFFFFL);
    }
}
