package org.rxrpc.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Header;
import org.rxrpc.transport.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's log lines from the I/O thread's paths, one static method per event so that each call
 * site is one line. Every method first asks whether its level is on and returns at once if not: with the
 * level off nothing is formatted, boxed or allocated (a test holds it to that). Loggers, so that each can
 * be turned on alone ({@code log:set DEBUG org.rxrpc.transport.calls} in Karaf):
 *
 * <ul>
 *   <li>{@code org.rxrpc.transport.calls}: DEBUG, a line per call (started or made live, ended);
 *   <li>{@code org.rxrpc.transport.connections}: DEBUG, a line per connection (made, removed);
 *   <li>{@code org.rxrpc.transport.packets}: TRACE, a line per packet in and out;
 *   <li>{@code org.rxrpc.transport.peers}: WARN, a peer that went silent (calls to it dead), at most once a
 *       minute per peer.
 * </ul>
 */
final class RxLog {
    static final Logger CALLS = LoggerFactory.getLogger("org.rxrpc.transport.calls");
    static final Logger CONNECTIONS = LoggerFactory.getLogger("org.rxrpc.transport.connections");
    static final Logger PACKETS = LoggerFactory.getLogger("org.rxrpc.transport.packets");
    static final Logger PEERS = LoggerFactory.getLogger("org.rxrpc.transport.peers");
    private static final long DEAD_PEER_QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private RxLog() {}

    /** A connection aborted for security (its RESPONSE, CHALLENGE or level refused): the reason, never key material. */
    static void securityRefused(Connection c, org.rxrpc.security.SecurityFailure f) {
        if (!CONNECTIONS.isDebugEnabled()) return;
        CONNECTIONS.debug(
                "connection {}/{} with {} refused: {}", hex(c.epoch), hex(c.cid), c.peer.address, f.toString());
    }

    /** A client call took its channel and starts sending. */
    static void clientCallStarted(Call c) {
        if (!CALLS.isDebugEnabled()) return;
        CALLS.debug(
                "call {} started: service {} to {} (connection {}/{} channel {})",
                c.callNumber,
                c.serviceId,
                c.peerAddress,
                hex(c.conn.epoch),
                hex(c.conn.cid),
                c.channel);
    }

    /** A charged server call went live. */
    static void serverCallLive(Call c) {
        if (!CALLS.isDebugEnabled()) return;
        CALLS.debug(
                "call {} live: service {} from {} (connection {}/{} channel {}, user call id {})",
                c.callNumber,
                c.serviceId,
                c.conn.peer.address,
                hex(c.conn.epoch),
                hex(c.conn.cid),
                c.channel,
                c.userCallId);
    }

    /** A call ended (succeeded, aborted, or refused BUSY to the end). */
    static void callEnded(Call c, CallState how, int code) {
        if (!CALLS.isDebugEnabled()) return;
        long ms = c.started ? (System.nanoTime() - c.startNanos) / 1_000_000 : 0;
        CALLS.debug(
                "call {} {}: service {} {} {} in {} ms, {} bytes sent, {} received{}",
                c.callNumber,
                how,
                c.serviceId,
                c.client ? "to" : "from",
                c.client ? c.peerAddress : (c.conn == null ? "?" : c.conn.peer.address),
                ms,
                c.bytesSent,
                c.bytesReceived,
                how == CallState.SUCCEEDED ? "" : ", code " + code + " (" + AbortCodes.name(code) + ")");
    }

    /** A call heard nothing from its peer for the dead time: the peer is declared dead for it. */
    static void peerDead(Call c, long now, long deadTimeMillis) {
        if (!PEERS.isWarnEnabled() || c.conn == null) return;
        Peer p = c.conn.peer;
        if (p.deadWarnedNanos != 0 && now - p.deadWarnedNanos < DEAD_PEER_QUIET_NANOS) return;
        p.deadWarnedNanos = now;
        PEERS.warn(
                "peer {} silent for {} ms: its call {} (service {}) is aborted RX_CALL_DEAD (more calls to it may"
                        + " follow; said once a minute)",
                p.address,
                deadTimeMillis,
                c.callNumber,
                c.serviceId);
    }

    static void connectionCreated(Connection c) {
        if (!CONNECTIONS.isDebugEnabled()) return;
        CONNECTIONS.debug(
                "connection {}/{} {} {} made (service {})",
                hex(c.epoch),
                hex(c.cid),
                c.weAreClient ? "to" : "from",
                c.peer.address,
                c.serviceId);
    }

    static void connectionRemoved(Connection c, long idleNanos) {
        if (!CONNECTIONS.isDebugEnabled()) return;
        CONNECTIONS.debug(
                "connection {}/{} {} {} removed after {} s idle",
                hex(c.epoch),
                hex(c.cid),
                c.weAreClient ? "to" : "from",
                c.peer.address,
                idleNanos / 1_000_000_000L);
    }

    /** A datagram arrived (its header decoded in {@code h}). */
    static void packetIn(Header h, int length, UdpAddress from) {
        if (!PACKETS.isTraceEnabled()) return;
        PACKETS.trace("in  {} from {}", describe(h, length), from);
    }

    /** A datagram of {@code length} bytes from {@code buf} (header at 0) goes to {@code to}. */
    static void packetOut(ByteBuffer buf, int length, UdpAddress to) {
        if (!PACKETS.isTraceEnabled()) return;
        PACKETS.trace("out {} to {}", describe(new Header().wrap(buf, 0), length), to);
    }

    private static String describe(Header h, int length) {
        return String.format(
                "%s %08x/%08x call %d seq %d serial %d flags %02x service %d (%d bytes)",
                typeName(h.type()),
                h.epoch(),
                h.cid(),
                h.callNumber(),
                h.seq(),
                h.serial(),
                h.flags(),
                h.serviceId(),
                length);
    }

    private static String typeName(int type) {
        switch (type) {
            case Wire.TYPE_DATA:
                return "DATA";
            case Wire.TYPE_ACK:
                return "ACK";
            case Wire.TYPE_BUSY:
                return "BUSY";
            case Wire.TYPE_ABORT:
                return "ABORT";
            case Wire.TYPE_ACKALL:
                return "ACKALL";
            case Wire.TYPE_CHALLENGE:
                return "CHALLENGE";
            case Wire.TYPE_RESPONSE:
                return "RESPONSE";
            case Wire.TYPE_DEBUG:
                return "DEBUG";
            case Wire.TYPE_VERSION:
                return "VERSION";
            default:
                return "type " + type;
        }
    }

    private static String hex(int v) {
        return Integer.toHexString(v);
    }
}
