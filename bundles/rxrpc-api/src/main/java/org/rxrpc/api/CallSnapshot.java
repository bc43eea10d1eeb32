package org.rxrpc.api;

import java.net.InetSocketAddress;

/**
 * One live call ({@link EndpointSnapshot#calls}).
 *
 * @param peer the other end
 * @param serviceId its service
 * @param client true if we made it, false if we serve it
 * @param state where it is
 * @param ageMillis since it started (client) or went live (server)
 * @param bytesSent bytes the application has sent on it
 * @param bytesReceived bytes the application has read from it
 * @param epoch its connection's epoch
 * @param cid its connection id, with the channel in the low two bits
 * @param callNumber its number on the channel
 * @param securityIndex its connection's security class ({@link RxCall#securityIndex()})
 * @param securityLevel the level that class runs at ({@link RxCall#securityLevel()})
 * @param principal who called, for a server call under a class that authenticates
 *     ({@link org.rxrpc.security.SecurityIdentity#principal()}); null otherwise. Never a key or a ticket.
 */
public record CallSnapshot(
        InetSocketAddress peer,
        int serviceId,
        boolean client,
        CallState state,
        long ageMillis,
        long bytesSent,
        long bytesReceived,
        int epoch,
        int cid,
        int callNumber,
        int securityIndex,
        int securityLevel,
        String principal) {

    /** A call of the null class (what snapshots held before security classes). */
    public CallSnapshot(
            InetSocketAddress peer,
            int serviceId,
            boolean client,
            CallState state,
            long ageMillis,
            long bytesSent,
            long bytesReceived,
            int epoch,
            int cid,
            int callNumber) {
        this(peer, serviceId, client, state, ageMillis, bytesSent, bytesReceived, epoch, cid, callNumber, 0, 0, null);
    }
}
