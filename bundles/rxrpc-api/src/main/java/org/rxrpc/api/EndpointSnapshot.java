package org.rxrpc.api;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an operator sees of one endpoint, taken at once on its I/O thread ({@link RxEndpoint#snapshot}):
 * its settings, counters, services, live calls and peers.
 *
 * @param localAddress the address bound
 * @param socket the kind of socket ("native recvmmsg socket" or "NIO DatagramChannel")
 * @param options the endpoint's settings
 * @param stats its counters
 * @param services the services listened on (and those still draining), by service id
 * @param calls live calls, at most the number asked for (the longest-running first)
 * @param liveCalls how many calls are live in all
 * @param peers peers, at most the number asked for (the most recently used first)
 * @param peerCount how many peers are held in all
 * @param connections connections held (server and client)
 * @param serverConnections the server connections among them
 * @param freePacketBuffers packet buffers in the endpoint's pool now
 */
public record EndpointSnapshot(
        InetSocketAddress localAddress,
        String socket,
        EndpointOptions options,
        RxStats stats,
        List<ServiceSnapshot> services,
        List<CallSnapshot> calls,
        int liveCalls,
        List<PeerSnapshot> peers,
        int peerCount,
        int connections,
        int serverConnections,
        int freePacketBuffers) {
    public EndpointSnapshot {
        services = List.copyOf(services);
        calls = List.copyOf(calls);
        peers = List.copyOf(peers);
    }
}
