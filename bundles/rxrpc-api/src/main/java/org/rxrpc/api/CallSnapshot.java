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
        int callNumber) {}
