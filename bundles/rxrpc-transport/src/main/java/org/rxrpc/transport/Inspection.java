package org.rxrpc.transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rxrpc.api.CallSnapshot;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.PeerSnapshot;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.ServiceSnapshot;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.transport.io.UdpAddress;

/**
 * An operator's look at an endpoint ({@link org.rxrpc.api.RxEndpoint#snapshot}), taken on its I/O thread
 * from the state that thread owns: services, live calls, peers and counts. It allocates (records and
 * lists), so it is never on the packet path: only an operator's command or an MBean read runs it.
 */
final class Inspection {
    private Inspection() {}

    /** On the I/O thread. */
    static EndpointSnapshot take(
            InetSocketAddress local,
            String socketKind,
            EndpointOptions options,
            RxStats stats,
            Listener[] listeners,
            LiveCalls live,
            Tables tables,
            int freeBuffers,
            int maxEntries,
            long now) {
        List<ServiceSnapshot> services = new ArrayList<>();
        for (Listener l : listeners) services.add(service(l));
        services.sort((a, b) -> Integer.compare(a.serviceId(), b.serviceId()));
        return new EndpointSnapshot(
                local,
                socketKind,
                options,
                stats,
                services,
                calls(live, Math.max(0, maxEntries), now),
                live.count(),
                peers(tables, Math.max(0, maxEntries), now),
                tables.peerCount(),
                tables.connectionCount(),
                tables.serverConnectionCount(),
                freeBuffers);
    }

    /** When the I/O thread does not answer: what can be read safely from another thread. */
    static EndpointSnapshot withoutIoThread(
            InetSocketAddress local, String socketKind, EndpointOptions options, RxStats stats, int freeBuffers) {
        return new EndpointSnapshot(
                local, socketKind, options, stats, List.of(), List.of(), -1, List.of(), -1, -1, -1, freeBuffers);
    }

    private static ServiceSnapshot service(Listener l) {
        DeferredCalls d = l.deferred;
        return new ServiceSnapshot(
                l.serviceId,
                l instanceof UserSocketListener,
                l.backlogMax,
                l.backlog.calls.count(),
                l.liveCalls,
                d == null ? 0 : d.count(),
                l.busySent,
                l.isClosed());
    }

    /** The longest-running live calls first: the list holds the newest first, so its tail is wanted. */
    private static List<CallSnapshot> calls(LiveCalls live, int max, long now) {
        int skip = Math.max(0, live.count() - max);
        List<CallSnapshot> out = new ArrayList<>(Math.min(max, live.count()));
        for (Call c = live.first(); c != null; c = c.nextLive) {
            if (skip > 0) {
                skip--;
                continue;
            }
            out.add(call(c, now));
        }
        Collections.reverse(out);
        return out;
    }

    private static CallSnapshot call(Call c, long now) {
        Connection conn = c.conn;
        InetSocketAddress peer;
        if (c.client) {
            peer = c.peerAddress;
        } else {
            UdpAddress r = c.remote;
            peer = r == null ? null : r.toSocketAddress();
        }
        return new CallSnapshot(
                peer,
                c.serviceId,
                c.client,
                c.state,
                c.started ? Math.max(0, (now - c.startNanos) / 1_000_000) : 0,
                c.bytesSent,
                c.bytesReceived,
                conn == null ? 0 : conn.epoch,
                conn == null ? 0 : conn.cid | c.channel,
                c.callNumber,
                c.securityIndex,
                c.securityLevel,
                principal(c));
    }

    /** The caller's principal for an operator (never a key or ticket); made here at most once per connection. */
    private static String principal(Call c) {
        SecurityIdentity id = c.client ? null : c.identity();
        return id == null ? null : id.principal();
    }

    private static List<PeerSnapshot> peers(Tables tables, int max, long now) {
        List<PeerSnapshot> out = new ArrayList<>(Math.min(max, tables.peerCount()));
        for (Peer p = tables.firstPeer(); p != null && out.size() < max; p = p.next) {
            out.add(new PeerSnapshot(
                    p.address.toSocketAddress(),
                    p.srttNanos / 1000,
                    p.rttvarNanos / 1000,
                    p.rtoNanos / 1000,
                    p.rttSamples,
                    p.maxMtu,
                    p.jumboMax,
                    p.connections,
                    Math.max(0, (now - p.lastUsedNanos) / 1_000_000)));
        }
        return out;
    }
}
