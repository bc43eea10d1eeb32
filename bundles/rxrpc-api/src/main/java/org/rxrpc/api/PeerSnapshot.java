package org.rxrpc.api;

import java.net.InetSocketAddress;

/**
 * One remote UDP address the endpoint talks to ({@link EndpointSnapshot#peers}).
 *
 * @param address its address
 * @param srttMicros smoothed round-trip time (RFC 6298); 0 before the first sample
 * @param rttVarMicros round-trip time variation
 * @param rtoMicros retransmission timeout
 * @param rttSamples round-trip samples taken
 * @param maxMtu the largest datagram it accepts (its ACK trailer; 1444 until it says)
 * @param jumboMax packets per jumbogram it accepts (1: none)
 * @param connections connections held with it
 * @param idleMillis since it was last used
 */
public record PeerSnapshot(
        InetSocketAddress address,
        long srttMicros,
        long rttVarMicros,
        long rtoMicros,
        int rttSamples,
        int maxMtu,
        int jumboMax,
        int connections,
        long idleMillis) {}
