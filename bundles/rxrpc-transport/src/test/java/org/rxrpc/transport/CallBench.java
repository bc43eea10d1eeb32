package org.rxrpc.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.testutil.CapturingDatagramIo;
import org.rxrpc.transport.testutil.Jumbograms;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;
import org.rxrpc.transport.wire.Ack;
import org.rxrpc.transport.wire.Wire;

/**
 * A bench for driving one call's sending and receiving halves directly, as the I/O thread does, with
 * the test's thread standing in for it and a synthetic clock: a real {@link Call} on a real
 * {@link Connection} to a real {@link Peer}, a real {@link Output} whose datagrams are captured (read
 * back with {@link RawPacket}), and the {@link Transmitter} and {@link Receiver} under test. The call
 * belongs to a real endpoint (for its packet pool) but is never handed to that endpoint's I/O thread.
 */
final class CallBench implements AutoCloseable {
    /** The synthetic clock's start, in nanoseconds. */
    static final long T0 = 1_000_000_000_000L;

    static final long MS = 1_000_000L;
    static final int SERVICE = 147;
    static final int EPOCH = 0x8a5c0001;
    static final int CID = 0x1234_5670;

    final Endpoint endpoint;
    /** Where the call's peer "is": a socket of ours, so that nothing could ever reach anybody else. */
    private final DatagramSocket peerSocket;

    final CapturingDatagramIo io;
    final Counters counters = new Counters();
    final Output output;
    final Transmitter transmitter;
    final Receiver receiver;
    private int nextPeerSerial = 1000;

    CallBench(int sendWindow, int receiveWindow) {
        this(sendWindow, receiveWindow, null);
    }

    /** With {@code rxPool} for the receiver (null: the endpoint's pool). */
    CallBench(int sendWindow, int receiveWindow, PacketPool rxPool) {
        endpoint = new Endpoint(EndpointOptions.defaults().withBind("127.0.0.1", 0).toBuilder()
                .packetBuffers(1024)
                .build());
        try {
            peerSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            endpoint.close();
            throw new UncheckedIOException(e);
        }
        io = new CapturingDatagramIo(endpoint.localAddress());
        output = new Output(io, counters, receiveWindow);
        transmitter = new Transmitter(output, counters, sendWindow, new PacketSecurity(counters));
        receiver = new Receiver(rxPool != null ? rxPool : endpoint.pool, counters, receiveWindow);
    }

    /** A client call as CallEvents.startClient leaves it: channel 0, call 1, started, sending its request. */
    Call clientCall() {
        Call call = new Call(endpoint, true, SERVICE, null, CallOptions.DEFAULT);
        Connection conn = new Connection();
        conn.initClient(newPeer(), EPOCH, CID, SERVICE, false, T0);
        attach(call, conn);
        return call;
    }

    /** A server call made live by its first DATA packet: receiving its request. */
    Call serverCall() {
        Call call = new Call(endpoint, false, SERVICE, null, CallOptions.DEFAULT);
        Connection conn = new Connection();
        conn.initServer(newPeer(), EPOCH, CID, SERVICE, 0, T0);
        attach(call, conn);
        call.state = CallState.SERVER_RECEIVING_REQUEST;
        return call;
    }

    private Peer newPeer() {
        UdpAddress address = new UdpAddress();
        address.set(new InetSocketAddress("127.0.0.1", peerSocket.getLocalPort()));
        Peer peer = new Peer();
        peer.init(address, T0);
        return peer;
    }

    private static void attach(Call call, Connection conn) {
        conn.channelCall[0] = call;
        conn.channelCallNumber[0] = 1;
        conn.activeCalls = 1;
        call.conn = conn;
        call.channel = 0;
        call.callNumber = 1;
        call.started = true;
        call.startNanos = T0;
        call.lastReceiveNanos = T0;
        call.lastSendNanos = T0;
    }

    /**
     * Queues {@code sizes.length} more packets on the call's transmit ring as {@code Call.send} publishes
     * them (each filled with its seq's low byte); the last one ends the call's message if {@code last}.
     */
    void queue(Call call, boolean last, int... sizes) {
        for (int i = 0; i < sizes.length; i++) {
            int seq = call.txQueuedTop + 1;
            PacketBuffer p = endpoint.pool.acquire();
            java.util.Arrays.fill(p.data, 0, sizes[i], (byte) seq);
            p.length = sizes[i];
            call.txRing[seq & Call.RING_MASK] = p;
            if (last && i == sizes.length - 1) call.txLastSeq = seq;
            call.txQueuedTop = seq;
        }
    }

    /** Queues {@code n} full (1412-byte) packets, the message not ended. */
    void queueFull(Call call, int n) {
        int[] sizes = new int[n];
        java.util.Arrays.fill(sizes, Wire.JUMBO_DATA_SIZE);
        queue(call, false, sizes);
    }

    /** An ACK datagram from the peer, decoded as Input decodes it. */
    record AckIn(Ack ack, ByteBuffer datagram) {}

    /**
     * An ACK from the peer: {@code firstPacket}, the soft-ACK array written as a string of 'A' (ACK) and
     * 'N' (NACK) from firstPacket on, the trailer's maxMTU, rwind and jumbo_max, and {@code serial} in the
     * body (the serial of the packet that caused it, 0 for none).
     */
    AckIn ack(int firstPacket, String softAcks, int reason, int serial, int maxMtu, int rwind, int jumboMax) {
        byte[] acks = new byte[softAcks.length()];
        for (int i = 0; i < acks.length; i++) acks[i] = (byte) (softAcks.charAt(i) == 'A' ? 1 : 0);
        int previous = firstPacket - 1 + acks.length;
        byte[] datagram = RawRxSocket.packet(
                RawRxSocket.header(
                        EPOCH,
                        CID,
                        1,
                        0,
                        nextPeerSerial++,
                        RawPacket.TYPE_ACK,
                        RawPacket.FLAG_SLOW_START_OK,
                        0,
                        0,
                        0,
                        SERVICE),
                RawRxSocket.ackBody(firstPacket, previous, serial, reason, acks, maxMtu, 1444, rwind, jumboMax));
        ByteBuffer b = ByteBuffer.wrap(datagram);
        Ack ack = new Ack();
        if (!ack.decode(b, Wire.HEADER_SIZE, datagram.length - Wire.HEADER_SIZE)) throw new AssertionError("bad ACK");
        return new AckIn(ack, b);
    }

    /** An ACK of the usual kind: reason REQUESTED, no serial, OpenAFS's trailer (5692, rwind 32, jumbo 1). */
    AckIn ack(int firstPacket, String softAcks) {
        return ack(firstPacket, softAcks, Wire.ACK_REQUESTED, 0, Wire.OUR_MAX_MTU, 32, 1);
    }

    /** Hands an ACK to the transmitter as Input does, then lets it send as Input does. */
    boolean receiveAck(Call call, AckIn in, long now) {
        boolean valid = transmitter.ackReceived(call, in.ack(), in.datagram(), now);
        if (valid) transmitter.pump(call, now);
        return valid;
    }

    /** The DATA packets sent since the last look, one entry per sub-packet (jumbograms split). */
    List<RawPacket> sentData() {
        return io.takePackets().stream()
                .filter(p -> p.type() == RawPacket.TYPE_DATA)
                .flatMap(p -> Jumbograms.split(p).stream())
                .toList();
    }

    @Override
    public void close() {
        peerSocket.close();
        endpoint.close();
    }
}
