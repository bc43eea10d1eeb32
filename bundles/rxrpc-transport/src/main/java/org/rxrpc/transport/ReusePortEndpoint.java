package org.rxrpc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.RxUserService;
import org.rxrpc.api.ServiceSnapshot;
import org.rxrpc.security.ServiceSecurity;

/**
 * An endpoint of several I/O threads on one port ({@link EndpointOptions#ioThreads()} &gt; 1): as many
 * {@link Endpoint}s, each with its own socket (SO_REUSEPORT), I/O thread, peers, connections, calls and
 * packet pool, so that they share nothing on the hot path. The kernel hands each datagram to one socket,
 * steered by a BPF program: a client's packets by its connection ID (a connection lives on one I/O thread
 * for good), everything else to the first, where this endpoint's own client calls are made. Services
 * listen on all of them ({@link ReusePortService}); statistics are sums.
 */
final class ReusePortEndpoint implements RxEndpoint {
    private final Endpoint[] shards;

    ReusePortEndpoint(EndpointOptions options) {
        int n = options.ioThreads();
        shards = new Endpoint[n];
        try {
            shards[0] = new Endpoint(options, 0);
            // Port 0: the others join the port the first one was given.
            EndpointOptions same = options.withBind(
                    options.bindAddress(), shards[0].localAddress().getPort());
            for (int i = 1; i < n; i++) shards[i] = new Endpoint(same, i);
            shards[0].steerReusePortGroup(n);
        } catch (RuntimeException | Error e) {
            for (Endpoint s : shards) if (s != null) s.close();
            throw e;
        }
        DebugReplies[] debug = new DebugReplies[n];
        for (int i = 0; i < n; i++) debug[i] = shards[i].debugReplies();
        for (DebugReplies d : debug) d.joinGroup(debug);
    }

    /** The endpoint of I/O thread {@code i} (0 = the one making client calls). */
    Endpoint shard(int i) {
        return shards[i];
    }

    int ioThreads() {
        return shards.length;
    }

    void awaitFirstService() {
        for (Endpoint s : shards) s.awaitFirstService();
    }

    @Override
    public InetSocketAddress localAddress() {
        return shards[0].localAddress();
    }

    @Override
    public RxService listen(
            int serviceId, int backlog, ServiceSecurity security, NewCallNotifier newCall, DiscardNotifier discard) {
        return new ReusePortService(shards, serviceId, backlog, security, newCall, discard);
    }

    @Override
    public RxUserService listenUser(int serviceId, int backlog, ServiceSecurity security, boolean chargeOnListen) {
        throw new UnsupportedOperationException("user-socket mode needs an endpoint with one I/O thread (ioThreads=1),"
                + " this one has " + shards.length);
    }

    /** Client calls go from the first socket, which the steering gives every reply. */
    @Override
    public RxCall newCall(InetSocketAddress server, int serviceId, CallOptions options, ReceiveNotifier notifyRx) {
        return shards[0].newCall(server, serviceId, options, notifyRx);
    }

    @Override
    public byte[] call(InetSocketAddress server, int serviceId, byte[] request, int maxReplyBytes, CallOptions options)
            throws InterruptedException {
        return shards[0].call(server, serviceId, request, maxReplyBytes, options);
    }

    @Override
    public boolean isClosed() {
        return shards[0].isClosed();
    }

    @Override
    public RxStats stats() {
        RxStats[] each = new RxStats[shards.length];
        for (int i = 0; i < shards.length; i++) each[i] = shards[i].stats();
        return sum(each);
    }

    static RxStats sum(RxStats[] each) {
        long[] values = new long[Counter.maxId() + 1];
        Map<Integer, Long> sent = new HashMap<>();
        Map<Integer, Long> received = new HashMap<>();
        for (RxStats s : each) {
            for (Counter c : Counter.values()) values[c.id()] += s.get(c);
            s.abortsSent().forEach((code, n) -> sent.merge(code, n, Long::sum));
            s.abortsReceived().forEach((code, n) -> received.merge(code, n, Long::sum));
        }
        return new RxStats(values, sent, received);
    }

    @Override
    public EndpointSnapshot snapshot(int maxEntries) {
        EndpointSnapshot[] each = new EndpointSnapshot[shards.length];
        RxStats[] stats = new RxStats[shards.length];
        for (int i = 0; i < shards.length; i++) {
            each[i] = shards[i].snapshot(maxEntries);
            stats[i] = each[i].stats();
        }
        Map<Integer, ServiceSnapshot> services = new java.util.LinkedHashMap<>();
        List<org.rxrpc.api.CallSnapshot> calls = new ArrayList<>();
        List<org.rxrpc.api.PeerSnapshot> peers = new ArrayList<>();
        int liveCalls = 0, peerCount = 0, connections = 0, serverConnections = 0, free = 0;
        for (EndpointSnapshot e : each) {
            for (ServiceSnapshot s : e.services()) services.merge(s.serviceId(), s, ReusePortEndpoint::merge);
            for (var c : e.calls()) if (calls.size() < maxEntries) calls.add(c);
            for (var p : e.peers()) if (peers.size() < maxEntries) peers.add(p);
            liveCalls += e.liveCalls();
            peerCount += e.peerCount();
            connections += e.connections();
            serverConnections += e.serverConnections();
            free += e.freePacketBuffers();
        }
        EndpointSnapshot first = each[0];
        return new EndpointSnapshot(
                first.localAddress(),
                first.socket() + ", " + shards.length + " I/O threads (SO_REUSEPORT)",
                first.options(),
                sum(stats),
                new ArrayList<>(services.values()),
                calls,
                liveCalls,
                peers,
                peerCount,
                connections,
                serverConnections,
                free);
    }

    /** A service's figures over the I/O threads; its backlog is shared, not summed. */
    private static ServiceSnapshot merge(ServiceSnapshot a, ServiceSnapshot b) {
        return new ServiceSnapshot(
                a.serviceId(),
                a.userSocket(),
                a.backlog(),
                a.chargedCalls() + b.chargedCalls(),
                a.liveCalls() + b.liveCalls(),
                a.deferredCalls() + b.deferredCalls(),
                a.busySent() + b.busySent(),
                a.draining() || b.draining());
    }

    @Override
    public void close() {
        for (Endpoint s : shards) s.close();
    }

    @Override
    public String toString() {
        return "Rx endpoint on " + localAddress() + " (" + shards.length + " I/O threads)";
    }
}
