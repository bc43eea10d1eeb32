package org.rxrpc.transport.testutil;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rxrpc.transport.io.DatagramIo;
import org.rxrpc.transport.io.ReceiveBatch;
import org.rxrpc.transport.io.UdpAddress;

/**
 * A {@link DatagramIo} that sends nothing: it keeps a copy of every datagram handed to it, for a test
 * that drives the transport's {@code Output} directly and reads what it would have sent with
 * {@link RawPacket}. Receives nothing. One thread at a time (the test's, standing in for the I/O thread).
 */
public final class CapturingDatagramIo implements DatagramIo {
    /** One datagram as it would have gone out. */
    public record Sent(InetSocketAddress to, byte[] bytes) {
        public RawPacket packet() {
            return RawPacket.parse(bytes);
        }
    }

    private final InetSocketAddress local;
    private final List<Sent> sent = new ArrayList<>();
    private boolean refuse;

    public CapturingDatagramIo(InetSocketAddress local) {
        this.local = local;
    }

    /** From now on, answer sends as a full socket buffer does (false), or take them again. */
    public void refuseSends(boolean refuse) {
        this.refuse = refuse;
    }

    /** The datagrams sent since the last call, oldest first, and forgets them. */
    public List<Sent> take() {
        List<Sent> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    /** The packets (headers and bodies) sent since the last call, oldest first, and forgets them. */
    public List<RawPacket> takePackets() {
        List<RawPacket> out = new ArrayList<>();
        for (Sent s : take()) out.add(s.packet());
        return out;
    }

    @Override
    public int receive(ReceiveBatch batch) {
        return 0;
    }

    @Override
    public boolean send(ByteBuffer data, int length, UdpAddress to) {
        if (refuse) return false;
        byte[] copy = new byte[length];
        data.get(0, copy, 0, length);
        sent.add(new Sent(to.toSocketAddress(), copy));
        return true;
    }

    @Override
    public void await(long timeoutMillis) {}

    @Override
    public void wakeup() {}

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int receiveBufferSize() {
        return -1;
    }

    @Override
    public String kind() {
        return "capture";
    }

    @Override
    public void close() {}
}
