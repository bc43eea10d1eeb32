package org.rxrpc.transport;

import java.nio.ByteBuffer;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Ack;
import org.rxrpc.transport.wire.Header;
import org.rxrpc.transport.wire.Wire;

/**
 * Everything a received datagram can cause, on the I/O thread: validation (malformed packets are
 * counted and dropped), routing to a connection and call, new incoming calls made live from the backlog
 * or answered BUSY, and the connectionless VERSION (net/rxrpc/io_thread.c, input.c, conn_service.c).
 */
final class Input {
    private final Endpoint endpoint;
    private final Counters counters;
    private final Output output;
    private final Receiver receiver;
    private final Transmitter transmitter;
    private final CallEvents events;
    private final Tables tables;
    private final Accept accept;
    private final DebugPolicy debug;
    private final Handshakes handshakes;
    private final ChallengeAnswers answers;
    private final PacketSecurity packetSecurity;
    private final Header header = new Header();
    private final Ack ack = new Ack();

    Input(
            Endpoint endpoint,
            Counters counters,
            Output output,
            Receiver receiver,
            Transmitter transmitter,
            CallEvents events,
            Tables tables,
            Accept accept,
            Handshakes handshakes,
            ChallengeAnswers answers,
            PacketSecurity packetSecurity) {
        this.endpoint = endpoint;
        this.handshakes = handshakes;
        this.answers = answers;
        this.packetSecurity = packetSecurity;
        this.tables = tables;
        this.accept = accept;
        this.debug =
                new DebugPolicy(endpoint.options.debugAnswers(), endpoint.options.debugAnswersPerSecond(), counters);
        this.counters = counters;
        this.output = output;
        this.receiver = receiver;
        this.transmitter = transmitter;
        this.events = events;
    }

    /** Handles one datagram of {@code length} bytes at the start of {@code b}. */
    void datagram(ByteBuffer b, int length, UdpAddress from, long now) {
        counters.inc(Counter.DATAGRAMS_RECEIVED);
        if (length < Wire.HEADER_SIZE) {
            counters.inc(Counter.DROP_TRUNCATED);
            return;
        }
        Header h = header;
        h.wrap(b, 0);
        RxLog.packetIn(h, length, from);
        switch (h.type()) {
            case Wire.TYPE_VERSION:
                version(b, length, from, now);
                return;
            case Wire.TYPE_DATA:
            case Wire.TYPE_ACK:
            case Wire.TYPE_BUSY:
            case Wire.TYPE_ABORT:
            case Wire.TYPE_ACKALL:
                break;
            case Wire.TYPE_DEBUG:
                // rxdebug: answer requests (never replies) carrying a type and an index, to whom may ask.
                if (!h.isClientInitiated() || length < Wire.HEADER_SIZE + 8) {
                    counters.inc(Counter.DROP_TRUNCATED);
                } else if (debug.mayAnswer(from, true, now)) {
                    endpoint.answerDebug(h, b.getInt(Wire.HEADER_SIZE), b.getInt(Wire.HEADER_SIZE + 4), from);
                }
                return;
            case Wire.TYPE_CHALLENGE:
                challenge(b, length);
                return;
            case Wire.TYPE_RESPONSE:
                response(b, length, from, now);
                return;
            default:
                counters.inc(Counter.DROP_INVALID_FIELD); // PARAMS and unknown types
                return;
        }
        if (h.type() == Wire.TYPE_DATA && h.seq() == 0) {
            counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        // serviceId 0 only on an ABORT (OpenAFS's raw ABORT for an unknown service moves it to the
        // checksum); a call's first DATA for it gets the unknown-service answer like any other id.
        if (h.serviceId() == 0 && h.type() != Wire.TYPE_ABORT) {
            if (startsACall(h)) {
                counters.inc(Counter.CALLS_FOR_UNKNOWN_SERVICE);
                output.sendRawAbort(h, AbortCodes.RX_INVALID_OPERATION, from);
            } else {
                counters.inc(Counter.DROP_INVALID_FIELD);
            }
            return;
        }
        if (h.callNumber() == 0) {
            if (h.type() == Wire.TYPE_ABORT) connectionAbort(b, length, from);
            else counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        if (h.type() == Wire.TYPE_DATA && !wellFormedJumbogram(b, length)) {
            counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        if (h.type() == Wire.TYPE_ABORT && length < Wire.HEADER_SIZE + 4) {
            counters.inc(Counter.DROP_TRUNCATED);
            return;
        }
        if (h.type() == Wire.TYPE_ACK && !ack.decode(b, Wire.HEADER_SIZE, length - Wire.HEADER_SIZE)) {
            counters.inc(Counter.DROP_TRUNCATED);
            return;
        }
        if (!h.isClientInitiated()) {
            toClientSide(b, length, from, now);
        } else if (!toServerSide(b, length, from, now)) {
            accept.keepOrBusy(endpoint.listener(h.serviceId()), h, b, length, from, now);
        }
    }

    /**
     * Checks a DATA datagram's sub-packet structure before it can touch any state: every sub-packet
     * flagged JUMBO has 1412 bytes and a 4-byte header after it, and is not also LAST (so nothing follows
     * a LAST one); and the sub-packets' seqs (one more each) neither reach 0 nor wrap round.
     */
    private boolean wellFormedJumbogram(ByteBuffer b, int length) {
        int flags = header.flags();
        int offset = Wire.HEADER_SIZE;
        int subPackets = 1;
        while ((flags & Wire.FLAG_JUMBO_PACKET) != 0) {
            if ((flags & Wire.FLAG_LAST_PACKET) != 0
                    || length - offset < Wire.JUMBO_DATA_SIZE + Wire.JUMBO_HEADER_SIZE) {
                return false;
            }
            offset += Wire.JUMBO_DATA_SIZE;
            flags = b.get(offset) & 0xff;
            offset += Wire.JUMBO_HEADER_SIZE;
            subPackets++;
        }
        long firstSeq = header.seq() & 0xFFFFFFFFL;
        return firstSeq + subPackets - 1 <= 0xFFFFFFFFL;
    }

    /**
     * A CHALLENGE: connection-level (call number 0), from the server end, for one of our client connections
     * under its own security index and service. Anything else is counted and dropped.
     */
    private void challenge(ByteBuffer b, int length) {
        Header h = header;
        if (h.isClientInitiated() || h.callNumber() != 0 || h.serviceId() == 0) {
            counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        Connection conn = tables.clientConnection(h.cid());
        if (conn == null || conn.epoch != h.epoch() || conn.serviceId != h.serviceId()) {
            counters.inc(Counter.DROP_NO_CALL);
            return;
        }
        if (conn.securityIndex != h.securityIndex()) {
            counters.inc(Counter.DROP_SECURITY);
            return;
        }
        answers.challenge(conn, b, length);
    }

    /**
     * A RESPONSE: connection-level, from the client end, for a server connection of ours under its own
     * security index and service. One for no connection, or a connection not challenged, is counted and
     * dropped (never aborted: anyone can send one).
     */
    private void response(ByteBuffer b, int length, UdpAddress from, long now) {
        Header h = header;
        if (!h.isClientInitiated() || h.callNumber() != 0 || h.serviceId() == 0) {
            counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        Peer peer = tables.peer(from);
        Connection conn = peer == null ? null : tables.serverConnection(peer, h.epoch(), h.cid());
        if (conn == null) {
            counters.inc(Counter.DROP_UNEXPECTED_RESPONSE);
            return;
        }
        if (conn.securityIndex != h.securityIndex()) {
            counters.inc(Counter.DROP_SECURITY);
            return;
        }
        if (conn.serviceId != h.serviceId()) {
            counters.inc(Counter.DROP_INVALID_FIELD);
            return;
        }
        conn.lastActiveNanos = now;
        handshakes.response(conn, b, length, now);
    }

    /** A call's first DATA packet: the only packet that may start a call (as Linux: seq 1 only). */
    private static boolean startsACall(Header h) {
        return h.type() == Wire.TYPE_DATA && h.seq() == 1 && h.isClientInitiated() && h.callNumber() != 0;
    }

    private void version(ByteBuffer b, int length, UdpAddress from, long now) {
        Header h = header;
        // Only requests are answered: never a reply or a keepalive (no CLIENT_INITIATED, or body[0] != 0).
        if (h.isClientInitiated()
                && (length == Wire.HEADER_SIZE || b.get(Wire.HEADER_SIZE) == 0)
                && debug.mayAnswer(from, false, now)) {
            output.sendVersion(h, from);
        }
    }

    /**
     * A packet from the client end of a connection: we are the server.
     *
     * @return false if it starts a new call that could not be supplied from the backlog (the caller
     *     keeps it or answers BUSY); true if it was dealt with
     */
    private boolean toServerSide(ByteBuffer b, int length, UdpAddress from, long now) {
        Header h = header;
        Peer peer = tables.peer(from);
        Connection conn = peer == null ? null : tables.serverConnection(peer, h.epoch(), h.cid());
        if (conn != null) {
            if (conn.securityIndex != h.securityIndex()) {
                counters.inc(Counter.DROP_SECURITY);
                return true;
            }
            if (conn.serviceId != h.serviceId()) {
                counters.inc(Counter.DROP_INVALID_FIELD);
                return true;
            }
            if (conn.securityAbort != 0) {
                // Refused for security: its DATA is answered with the connection ABORT again (OpenAFS).
                if (h.type() == Wire.TYPE_DATA) output.sendAbort(conn, 0, 0, conn.securityAbort);
                else counters.inc(Counter.DROP_SECURITY);
                return true;
            }
            conn.lastActiveNanos = now;
            peer.lastUsedNanos = now;
            int ch = h.channel();
            if (Handshakes.awaitingResponse(conn) && Handshakes.heldCall(conn, ch, h.callNumber()) != null) {
                // A call held while its client is challenged: its DATA kept for the replay, a PING answered.
                if (h.type() == Wire.TYPE_DATA) handshakes.holdPacket(conn, b, length);
                else unknownCallPacket(from);
                return true;
            }
            Call call = conn.channelCall[ch];
            int latest = conn.channelCallNumber[ch];
            if (call != null && call.callNumber == h.callNumber()) {
                callPacket(call, b, length, now);
                return true;
            }
            if (h.callNumber() == latest) {
                finishedCallPacket(conn, ch, from);
                return true;
            }
            if (h.callNumber() - latest < 0) {
                counters.inc(Counter.LATE_PACKETS);
                return true;
            }
            // Only the first DATA of a newer call may touch the channel; anything else gets a stateless
            // answer (a PING) or is dropped, so it cannot end a call in progress.
            if (!startsACall(h)) {
                unknownCallPacket(from);
                return true;
            }
            // A newer call on the channel ends the previous one: its final ACK is implied by the new DATA.
            if (call != null) {
                if (call.state == CallState.SERVER_AWAITING_FINAL_ACK) events.complete(call, CallState.SUCCEEDED, 0);
                else events.abortLocally(call, AbortCodes.RX_CALL_DEAD, false);
            }
        }
        // Only a call's first DATA can start it, on a new connection or on a known one; a later packet of a
        // call we do not have makes no state: a PING is answered statelessly, the rest is dropped.
        if (!startsACall(h)) {
            if (h.type() == Wire.TYPE_DATA) counters.inc(Counter.DROP_NO_CALL);
            else unknownCallPacket(from);
            return true;
        }
        // The service is looked up per call: it may have closed and been listened on again since the
        // connection was made (a restarted service bundle serves clients that kept their connection).
        Listener listener = endpoint.listener(h.serviceId());
        if (listener == null && endpoint.serviceAboutToListen(now)) {
            // The service this endpoint was opened for is about to listen: the client retries a BUSY.
            output.sendBusy(h, from);
            return true;
        }
        if (listener == null) {
            // OpenAFS: a raw ABORT RX_INVALID_OPERATION for an unknown service or security class.
            counters.inc(Counter.CALLS_FOR_UNKNOWN_SERVICE);
            output.sendRawAbort(h, AbortCodes.RX_INVALID_OPERATION, from);
            return true;
        }
        if (conn == null && listener.security.forIndex(h.securityIndex()) == null) {
            // A class the service does not accept: OpenAFS's raw ABORT too (rxi_FindConnection's
            // unknownService, Linux's rxrpc_look_up_server_security both answer RX_INVALID_OPERATION).
            counters.inc(Counter.SECURITY_CLASS_REFUSED);
            output.sendRawAbort(h, AbortCodes.RX_INVALID_OPERATION, from);
            return true;
        }
        return accept.newCall(listener, peer, conn, h, b, length, from, now);
    }

    /** A kept first packet, once more (see {@link Accept#replay}): false if still no call could take it. */
    boolean replay(ByteBuffer packet, int length, UdpAddress from, long now) {
        header.wrap(packet, 0);
        return toServerSide(packet, length, from, now);
    }

    /** The packet that made a call live, delivered to it (its header is the one decoded last). */
    void firstPacket(Call call, ByteBuffer b, int length, long now) {
        callPacket(call, b, length, now);
    }

    /**
     * A packet for a call we do not have. A PING is answered with an empty ACK, so that a client whose
     * call we refused BUSY keeps it alive and retransmits (Linux 6.1 aborted these: DESIGN.md).
     */
    private void unknownCallPacket(UdpAddress from) {
        Header h = header;
        if (h.type() == Wire.TYPE_ACK
                && ack.reason == Wire.ACK_PING
                && (h.flags() & Wire.FLAG_REQUEST_ACK) != 0
                && endpoint.listener(h.serviceId()) != null) {
            output.sendNoCallAck(h, Wire.ACK_PING_RESPONSE, from);
            return;
        }
        counters.inc(Counter.DROP_NO_CALL);
    }

    /** A packet for the channel's last, finished call: repeat its ABORT, answer a PING, drop the rest. */
    private void finishedCallPacket(Connection conn, int ch, UdpAddress from) {
        Header h = header;
        int abort = conn.channelLastAbort[ch];
        if (h.type() == Wire.TYPE_ABORT) {
            counters.inc(Counter.LATE_PACKETS); // an ABORT of a call already over: nothing to repeat
            return;
        }
        if (abort != 0 && h.type() == Wire.TYPE_DATA) {
            output.sendAbort(conn, ch, h.callNumber(), abort);
        } else if (h.type() == Wire.TYPE_ACK && (h.flags() & Wire.FLAG_REQUEST_ACK) != 0) {
            output.sendNoCallAck(h, ack.reason == Wire.ACK_PING ? Wire.ACK_PING_RESPONSE : Wire.ACK_REQUESTED, from);
        } else {
            counters.inc(Counter.LATE_PACKETS);
        }
    }

    /** A packet from the server end of a connection: we are the client. */
    private void toClientSide(ByteBuffer b, int length, UdpAddress from, long now) {
        Header h = header;
        Connection conn = tables.clientConnection(h.cid());
        if (conn == null
                || conn.epoch != h.epoch()
                || (conn.serviceId != h.serviceId() && h.type() != Wire.TYPE_ABORT)) {
            counters.inc(Counter.DROP_NO_CALL);
            return;
        }
        conn.lastActiveNanos = now;
        int ch = h.channel();
        Call call = conn.channelCall[ch];
        if (call != null && call.callNumber == h.callNumber()) {
            callPacket(call, b, length, now);
        } else if (h.callNumber() == conn.channelCallNumber[ch]
                && h.type() == Wire.TYPE_DATA
                && conn.channelLastAbort[ch] == 0) {
            // Our final ACK was lost: say it again.
            int lastSeq = conn.channelLastReplySeq[ch];
            if (lastSeq != 0) output.sendFinalAck(conn, ch, h.callNumber(), lastSeq, Wire.ACK_DUPLICATE);
        } else {
            counters.inc(Counter.LATE_PACKETS);
        }
    }

    /** A packet for a live call. */
    private void callPacket(Call call, ByteBuffer b, int length, long now) {
        Header h = header;
        call.lastReceiveNanos = now;
        switch (h.type()) {
            case Wire.TYPE_DATA:
                call.heardFromPeer = true;
                data(call, b, length, now);
                break;
            case Wire.TYPE_ACK:
                // Only an ACK acknowledging data proves the server took the call; a PING_RESPONSE for a
                // call it refused BUSY (nothing acknowledged) does not.
                if (ack.firstPacket - 1 > 0 || ack.nAcks > 0) call.heardFromPeer = true;
                ackPacket(call, b, now);
                break;
            case Wire.TYPE_ABORT:
                int code = b.getInt(Wire.HEADER_SIZE);
                counters.abortReceived(code);
                events.abortedByPeer(call, code);
                break;
            case Wire.TYPE_BUSY:
                events.busyReceived(call, now);
                break;
            case Wire.TYPE_ACKALL:
                call.heardFromPeer = true;
                transmitter.ackAll(call);
                txFinished(call, now);
                break;
            default:
                counters.inc(Counter.DROP_INVALID_FIELD);
        }
    }

    private void data(Call call, ByteBuffer b, int length, long now) {
        Header h = header;
        if (call.client) {
            if (call.txLastSeq == 0 || call.txQueuedTop != call.txLastSeq) {
                // Reply data before our request was complete: the server broke the protocol.
                events.abortLocally(call, AbortCodes.RX_PROTOCOL_ERROR, true);
                return;
            }
            if (call.state == CallState.CLIENT_SENDING_REQUEST) {
                transmitter.ackAll(call); // reply DATA hard-ACKs the whole request
                call.state = CallState.CLIENT_RECEIVING_REPLY;
            }
        } else if (call.state != CallState.SERVER_RECEIVING_REQUEST) {
            // Request data again after the request was complete: the client missed our ACK or reply.
            counters.inc(Counter.DUPLICATE_DATA_RECEIVED);
            if ((h.flags() & Wire.FLAG_REQUEST_ACK) != 0 || call.txTop == 0) {
                Receiver.proposeAck(call, Wire.ACK_DUPLICATE, h.serial());
                events.afterInput(call, now);
            }
            return;
        }
        call.lastDataReceiveNanos = now;
        int seq = h.seq();
        int serial = h.serial();
        int flags = h.flags();
        int offset = Wire.HEADER_SIZE;
        int end = length;
        int checksum = h.checksum();
        // A jumbogram: every sub-packet but the last has exactly 1412 bytes and a 4-byte header after it
        // (its flags, and the next sub-packet's header checksum).
        while ((flags & Wire.FLAG_JUMBO_PACKET) != 0) { // structure checked by wellFormedJumbogram
            if (!subPacket(call, seq, flags, serial, checksum, b, offset, Wire.JUMBO_DATA_SIZE)) return;
            offset += Wire.JUMBO_DATA_SIZE;
            flags = b.get(offset) & 0xff;
            checksum = b.getShort(offset + 2) & 0xffff;
            offset += Wire.JUMBO_HEADER_SIZE;
            seq++;
            serial++;
        }
        if (!subPacket(call, seq, flags, serial, checksum, b, offset, end - offset)) return;
        boolean delivered = receiver.deliver(call);
        if (call.client && call.rxComplete()) {
            // The whole reply is here: send the final ACK and complete (OpenAFS sends it as DELAY).
            output.sendFinalAck(call.conn, call.channel, call.callNumber, call.rxLastSeq, Wire.ACK_DELAY);
            events.complete(call, CallState.SUCCEEDED, 0);
            return;
        }
        if (delivered) events.notifyReceiver(call);
        events.afterInput(call, now);
    }

    /**
     * One DATA sub-packet to the receiver; on a secured connection verified first (in a scratch copy), its
     * user data stored. A packet failing its class's check aborts the call with the class's code.
     *
     * @return false if the call was aborted
     */
    private boolean subPacket(
            Call call, int seq, int flags, int serial, int checksum, ByteBuffer b, int offset, int length) {
        ByteBuffer from = b;
        int at = offset;
        int n = length;
        if (call.conn.security != NullSecurity.INSTANCE) {
            n = packetSecurity.verify(call, seq, serial, checksum, b, offset, length);
            if (n < 0) {
                events.abortLocally(call, packetSecurity.lastFailure().abortCode(), true);
                return false;
            }
            from = packetSecurity.plain();
            at = PacketSecurity.dataOffset(call);
        }
        if (!receiver.dataPacket(call, seq, flags, serial, from, at, n)) {
            events.abortLocally(call, AbortCodes.RX_PROTOCOL_ERROR, true);
            return false;
        }
        return true;
    }

    private void ackPacket(Call call, ByteBuffer b, long now) {
        Header h = header;
        counters.inc(Counter.ACKS_RECEIVED);
        boolean requestAck = (h.flags() & Wire.FLAG_REQUEST_ACK) != 0;
        if (!transmitter.ackReceived(call, ack, b, now)) {
            counters.inc(Counter.DROP_ACK_OUT_OF_RANGE);
            return;
        }
        if (requestAck) {
            // OpenAFS answers any ACK asking for one with PING_RESPONSE; Linux answers PINGs so.
            output.sendAck(
                    call,
                    ack.reason == Wire.ACK_PING ? Wire.ACK_PING_RESPONSE : Wire.ACK_REQUESTED,
                    h.serial(),
                    false,
                    now);
        }
        txFinished(call, now);
        transmitter.pump(call, now);
        events.scheduleTimers(call, now);
    }

    /** After an ACK or ACKALL: a server call whose whole reply is hard-ACKed is done. */
    private void txFinished(Call call, long now) {
        int last = call.txLastSeq;
        if (last == 0 || call.txHardAck != last || call.state.isComplete()) return;
        if (!call.client) {
            events.complete(call, CallState.SUCCEEDED, 0);
        } else if (call.state == CallState.CLIENT_SENDING_REQUEST) {
            call.state = CallState.CLIENT_RECEIVING_REPLY;
        }
    }

    /** An ABORT with call number 0 ends every call of the connection. */
    private void connectionAbort(ByteBuffer b, int length, UdpAddress from) {
        Header h = header;
        if (length < Wire.HEADER_SIZE + 4) {
            counters.inc(Counter.DROP_TRUNCATED);
            return;
        }
        int code = b.getInt(Wire.HEADER_SIZE);
        Connection conn;
        if (h.isClientInitiated()) {
            Peer peer = tables.peer(from);
            conn = peer == null ? null : tables.serverConnection(peer, h.epoch(), h.cid());
        } else {
            conn = tables.clientConnection(h.cid());
            if (conn != null && conn.epoch != h.epoch()) conn = null;
        }
        if (conn == null) {
            counters.inc(Counter.DROP_NO_CALL);
            return;
        }
        counters.abortReceived(code);
        if (!conn.weAreClient) handshakes.forget(conn); // its held calls go back to their owner
        // A server refusing our connection for security: later calls take a new connection (and a new
        // handshake) instead of meeting the same ABORT on this one.
        else if (org.rxrpc.security.SecurityAbortCodes.name(code) != null) conn.securityAbort = code;
        for (int ch = 0; ch < Wire.MAX_CALLS; ch++) {
            Call call = conn.channelCall[ch];
            if (call != null) events.abortedByPeer(call, code);
        }
    }
}
