package org.rxrpc.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.rxrpc.api.Counter;
import org.rxrpc.security.ClientConnectionSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.ServerConnectionSecurity;
import org.rxrpc.transport.io.DatagramIo;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.wire.Ack;
import org.rxrpc.transport.wire.Header;
import org.rxrpc.transport.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends every packet the endpoint emits, from one reusable direct buffer (I/O thread only):
 * DATA and jumbograms, ACKs, ABORT, BUSY and VERSION replies (net/rxrpc/output.c).
 */
final class Output {
    private static final Logger LOG = LoggerFactory.getLogger(Output.class);
    private static final byte[] VERSION_TEXT = versionText();

    private final DatagramIo socket;
    private final Counters counters;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private final byte[] softAcks = new byte[Wire.MAX_ACKS];
    /** Writes the headers of what we send into {@link #buf}. */
    private final Header out = new Header();

    private final int receiveWindowMax;

    Output(DatagramIo socket, Counters counters, int receiveWindowMax) {
        this.socket = socket;
        this.counters = counters;
        this.receiveWindowMax = receiveWindowMax;
    }

    private static byte[] versionText() {
        byte[] text = new byte[Wire.VERSION_REPLY_SIZE];
        byte[] s = "rxrpc-java 0.1.0 Rx for the JVM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, text, 0, Math.min(s.length, text.length - 1));
        return text;
    }

    private void transmit(int length, UdpAddress to) {
        RxLog.packetOut(buf, length, to);
        try {
            if (socket.send(buf, length, to)) counters.inc(Counter.DATAGRAMS_SENT);
            else counters.inc(Counter.SEND_FAILURES);
        } catch (IOException e) {
            counters.inc(Counter.SEND_FAILURES);
            LOG.debug("send to {} failed: {}", to, e.toString());
        }
        buf.clear();
    }

    private static int clientFlag(Connection c) {
        return c.weAreClient ? Wire.FLAG_CLIENT_INITIATED : 0;
    }

    /**
     * Sends packets {@code first..first+count-1} of the call's transmit ring as one datagram (a
     * jumbogram when count > 1). The caller checked that every packet but the last holds 1412 bytes.
     */
    void sendData(Call call, int first, int count, boolean requestAck, long now) {
        Connection c = call.conn;
        int lastSeq = call.txLastSeq;
        int pos = 0;
        for (int i = 0; i < count; i++) {
            int seq = first + i;
            PacketBuffer p = call.txRing[seq & Call.RING_MASK];
            int flags = clientFlag(c);
            if (lastSeq != 0 && seq == lastSeq) flags |= Wire.FLAG_LAST_PACKET;
            if (i < count - 1) flags |= Wire.FLAG_JUMBO_PACKET;
            if (i == count - 1 && requestAck) flags |= Wire.FLAG_REQUEST_ACK;
            int serial = c.takeSerial();
            if (i == 0) {
                out.wrap(buf, 0)
                        .epoch(c.epoch)
                        .cid(c.cid | call.channel)
                        .callNumber(call.callNumber)
                        .seq(seq)
                        .serial(serial)
                        .type(Wire.TYPE_DATA)
                        .flags(flags)
                        .userStatus(0)
                        .securityIndex(c.securityIndex)
                        .checksum(p.checksum)
                        .serviceId(call.serviceId);
                pos = Wire.HEADER_SIZE;
            } else {
                // The jumbo header before a sub-packet carries that sub-packet's flags and checksum.
                buf.put(pos, (byte) flags);
                buf.put(pos + 1, (byte) 0);
                buf.putShort(pos + 2, (short) p.checksum);
                pos += Wire.JUMBO_HEADER_SIZE;
            }
            buf.position(pos);
            buf.put(p.data, 0, p.length);
            pos += p.length;
            if (p.txCount > 0) counters.inc(Counter.DATA_PACKETS_RETRANSMITTED);
            counters.inc(Counter.DATA_PACKETS_SENT);
            p.serial = serial;
            p.sentNanos = now;
            p.txCount++;
        }
        call.lastSendNanos = now;
        transmit(pos, c.peer.address);
    }

    /** Sends an ACK describing the call's receive state. */
    void sendAck(Call call, int reason, int serial, boolean ping, long now) {
        Connection c = call.conn;
        int first = call.rxDelivered + 1;
        int nAcks = Math.max(0, Math.min(Wire.MAX_ACKS, call.rxHighestStored - call.rxDelivered));
        for (int i = 0; i < nAcks; i++) {
            softAcks[i] = call.rxRing[(first + i) & Call.RING_MASK] != null ? (byte) 1 : (byte) 0;
        }
        int window = receiveWindow(call);
        call.rxAdvertisedWindow = window;
        int flags = clientFlag(c) | Wire.FLAG_SLOW_START_OK | (ping ? Wire.FLAG_REQUEST_ACK : 0);
        int ackSerial = c.takeSerial();
        out.wrap(buf, 0)
                .epoch(c.epoch)
                .cid(c.cid | call.channel)
                .callNumber(call.callNumber)
                .seq(0)
                .serial(ackSerial)
                .type(Wire.TYPE_ACK)
                .flags(flags)
                .userStatus(0)
                .securityIndex(c.securityIndex)
                .checksum(0)
                .serviceId(call.serviceId);
        int previous = Math.max(call.rxHighestStored, call.rxDelivered);
        int len = Ack.encode(
                buf,
                Wire.HEADER_SIZE,
                first,
                previous,
                serial,
                reason,
                softAcks,
                nAcks,
                Wire.OUR_MAX_MTU,
                Wire.OUR_IF_MTU,
                window,
                Wire.OUR_JUMBO_MAX);
        if (ping) {
            call.pingSerial = ackSerial;
            call.pingSentNanos = now;
            counters.inc(Counter.PINGS_SENT);
        }
        if (reason == Wire.ACK_PING_RESPONSE) counters.inc(Counter.PING_RESPONSES_SENT);
        counters.inc(Counter.ACKS_SENT);
        call.lastSendNanos = now;
        call.rxPendingAckPackets = 0;
        call.rxPendingAckReason = 0;
        call.ackDeadline = 0;
        transmit(Wire.HEADER_SIZE + len, c.peer.address);
    }

    /** Packets we can still take: the configured window less what the application has not read yet. */
    int receiveWindow(Call call) {
        int unread = call.rxDelivered - call.rxConsumed;
        return Math.max(1, receiveWindowMax - unread);
    }

    /** A client's final ACK: everything up to {@code lastSeq} received (OpenAFS sends it as DELAY). */
    void sendFinalAck(Connection c, int channel, int callNumber, int lastSeq, int reason) {
        int serial = c.takeSerial();
        out.wrap(buf, 0)
                .epoch(c.epoch)
                .cid(c.cid | channel)
                .callNumber(callNumber)
                .seq(0)
                .serial(serial)
                .type(Wire.TYPE_ACK)
                .flags(Wire.FLAG_CLIENT_INITIATED | Wire.FLAG_SLOW_START_OK)
                .userStatus(0)
                .securityIndex(c.securityIndex)
                .checksum(0)
                .serviceId(c.serviceId);
        int len = Ack.encode(
                buf,
                Wire.HEADER_SIZE,
                lastSeq + 1,
                lastSeq,
                0,
                reason,
                softAcks,
                0,
                Wire.OUR_MAX_MTU,
                Wire.OUR_IF_MTU,
                receiveWindowMax,
                Wire.OUR_JUMBO_MAX);
        counters.inc(Counter.ACKS_SENT);
        transmit(Wire.HEADER_SIZE + len, c.peer.address);
    }

    /** An ABORT for a call (callNumber != 0) or the whole connection (callNumber 0). */
    void sendAbort(Connection c, int channel, int callNumber, int code) {
        out.wrap(buf, 0)
                .epoch(c.epoch)
                .cid(c.cid | channel)
                .callNumber(callNumber)
                .seq(0)
                .serial(c.takeSerial())
                .type(Wire.TYPE_ABORT)
                .flags(clientFlag(c))
                .userStatus(0)
                .securityIndex(c.securityIndex)
                .checksum(0)
                .serviceId(c.serviceId);
        buf.putInt(Wire.HEADER_SIZE, code);
        counters.abortSent(code);
        transmit(Wire.HEADER_SIZE + 4, c.peer.address);
    }

    /** A CHALLENGE (type 6) on the connection, call number 0, its body written by the class's state. */
    void sendChallenge(Connection c, ServerConnectionSecurity security) {
        connectionHeader(c, Wire.TYPE_CHALLENGE, 0);
        buf.position(Wire.HEADER_SIZE);
        int len = security.writeChallenge(buf);
        transmit(Wire.HEADER_SIZE + len, c.peer.address);
    }

    /**
     * A RESPONSE (type 7) answering the CHALLENGE body {@code challenge} (position to limit), written by the
     * client connection's class with the current call number of each channel.
     *
     * @throws SecurityFailure if the class cannot answer (nothing is sent)
     */
    void sendResponse(Connection c, ClientConnectionSecurity security, ByteBuffer challenge) throws SecurityFailure {
        connectionHeader(c, Wire.TYPE_RESPONSE, Wire.FLAG_CLIENT_INITIATED);
        buf.position(Wire.HEADER_SIZE);
        int len;
        try {
            int[] n = c.channelCallNumber;
            len = security.writeResponse(challenge, buf, n[0], n[1], n[2], n[3]);
        } catch (SecurityFailure | RuntimeException e) {
            buf.clear();
            throw e;
        }
        counters.inc(Counter.RESPONSES_SENT);
        transmit(Wire.HEADER_SIZE + len, c.peer.address);
    }

    /**
     * What an OpenAFS client of the null class answers a CHALLENGE with: a RESPONSE carrying the challenge's
     * own body (rx_null has no GetResponse, so rxi_ReceiveChallengePacket sends the packet back as it is).
     */
    void sendResponseEcho(Connection c, ByteBuffer challenge) {
        connectionHeader(c, Wire.TYPE_RESPONSE, Wire.FLAG_CLIENT_INITIATED);
        buf.position(Wire.HEADER_SIZE);
        int len = challenge.remaining();
        for (int i = 0; i < len; i++) buf.put(Wire.HEADER_SIZE + i, challenge.get(challenge.position() + i));
        counters.inc(Counter.RESPONSES_SENT);
        transmit(Wire.HEADER_SIZE + len, c.peer.address);
    }

    /** The header of a connection-level packet (call number 0, seq 0) we send on {@code c}. */
    private void connectionHeader(Connection c, int type, int flags) {
        out.wrap(buf, 0)
                .epoch(c.epoch)
                .cid(c.cid)
                .callNumber(0)
                .seq(0)
                .serial(c.takeSerial())
                .type(type)
                .flags(flags)
                .userStatus(0)
                .securityIndex(c.securityIndex)
                .checksum(0)
                .serviceId(c.serviceId);
    }

    /**
     * OpenAFS's answer to a call for an unknown service or security class (rxi_SendRawAbort): flags 0,
     * serial 0, and the serviceId in the checksum bytes, serviceId 0 (it copies its host struct).
     */
    void sendRawAbort(Header h, int code, UdpAddress to) {
        int flags = h.flags() & Wire.FLAG_CLIENT_INITIATED ^ Wire.FLAG_CLIENT_INITIATED;
        // OpenAFS's rxi_SendRawAbort copies its host struct: the service id lands in the checksum bytes.
        answer(h, Wire.TYPE_ABORT, flags).checksum(h.serviceId()).serviceId(0);
        buf.putInt(Wire.HEADER_SIZE, code);
        counters.abortSent(code);
        transmit(Wire.HEADER_SIZE + 4, to);
    }

    /**
     * The header of a connectionless answer to the packet {@code h}: its connection and call, no seq or
     * serial (we keep no state for it).
     */
    private Header answer(Header h, int type, int flags) {
        return out.wrap(buf, 0)
                .epoch(h.epoch())
                .cid(h.cid())
                .callNumber(h.callNumber())
                .seq(0)
                .serial(0)
                .type(type)
                .flags(flags)
                .userStatus(0)
                .securityIndex(h.securityIndex())
                .checksum(0)
                .serviceId(h.serviceId());
    }

    /** BUSY: "this channel cannot take a new call now"; the header echoed, CLIENT_INITIATED cleared. */
    void sendBusy(Header h, UdpAddress to) {
        answer(h, Wire.TYPE_BUSY, 0);
        counters.inc(Counter.BUSY_SENT);
        transmit(Wire.HEADER_SIZE, to);
    }

    /**
     * An ACK for a call we do not have (a PING for a call refused BUSY): nothing received, so the client
     * keeps the call and retransmits its DATA, which will be served once the backlog is recharged.
     */
    void sendNoCallAck(Header h, int reason, UdpAddress to) {
        answer(h, Wire.TYPE_ACK, Wire.FLAG_SLOW_START_OK);
        int len = Ack.encode(
                buf,
                Wire.HEADER_SIZE,
                1,
                0,
                h.serial(),
                reason,
                softAcks,
                0,
                Wire.OUR_MAX_MTU,
                Wire.OUR_IF_MTU,
                receiveWindowMax,
                Wire.OUR_JUMBO_MAX);
        counters.inc(Counter.ACKS_SENT);
        if (reason == Wire.ACK_PING_RESPONSE) counters.inc(Counter.PING_RESPONSES_SENT);
        transmit(Wire.HEADER_SIZE + len, to);
    }

    /** The header of a connectionless reply: the request's, echoed, with CLIENT_INITIATED cleared (OpenAFS). */
    private void echoHeader(Header h, int type) {
        int flags = h.flags() & ~Wire.FLAG_CLIENT_INITIATED;
        out.wrap(buf, 0)
                .epoch(h.epoch())
                .cid(h.cid())
                .callNumber(h.callNumber())
                .seq(h.seq())
                .serial(h.serial())
                .type(type)
                .flags(flags)
                .userStatus(h.userStatus())
                .securityIndex(h.securityIndex())
                .checksum(h.checksum())
                .serviceId(h.serviceId());
    }

    /** DEBUG reply: the request header echoed with CLIENT_INITIATED cleared, then a raw struct. */
    void sendDebug(Header h, DebugReplies reply, UdpAddress to) {
        echoHeader(h, Wire.TYPE_DEBUG);
        int len = reply.write(buf, Wire.HEADER_SIZE);
        counters.inc(Counter.DEBUG_REQUESTS_ANSWERED);
        transmit(Wire.HEADER_SIZE + len, to);
    }

    /** VERSION reply: the request header echoed with CLIENT_INITIATED cleared, then 65 bytes of text. */
    void sendVersion(Header h, UdpAddress to) {
        echoHeader(h, Wire.TYPE_VERSION);
        buf.position(Wire.HEADER_SIZE);
        buf.put(VERSION_TEXT);
        counters.inc(Counter.VERSION_REQUESTS_ANSWERED);
        transmit(Wire.HEADER_SIZE + VERSION_TEXT.length, to);
    }
}
