package org.rxrpc.transport.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The portable socket: a non-blocking {@link DatagramChannel} and a {@link Selector}. The JDK makes a new
 * source address object whenever the sender changes from one datagram to the next (about 120 bytes),
 * so with many clients this path allocates; {@code NativeDatagramIo} does not.
 */
public final class NioDatagramIo implements DatagramIo {
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress localAddress;
    private final Consumer<SelectionKey> ignoreKey = key -> {};

    public NioDatagramIo(String bindAddress, int port, int socketBufferBytes) {
        try {
            InetAddress bind = InetAddress.getByName(bindAddress);
            channel = DatagramChannel.open(
                    bind instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            channel.bind(new InetSocketAddress(bind, port));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            localAddress = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind Rx endpoint to " + bindAddress + ":" + port, e);
        }
    }

    @Override
    public int receive(ReceiveBatch batch) throws IOException {
        int n = 0;
        while (n < batch.capacity()) {
            ByteBuffer slot = batch.data(n);
            slot.clear();
            SocketAddress from = channel.receive(slot);
            if (from == null) break;
            // A datagram longer than the slot is cut short by the JDK: we cannot tell it from a full one.
            batch.length(n, slot.position() == slot.capacity() ? -1 : slot.position());
            batch.source(n).set((InetSocketAddress) from);
            n++;
        }
        batch.count(n);
        return n;
    }

    @Override
    public boolean send(ByteBuffer data, int length, UdpAddress to) throws IOException {
        data.limit(length).position(0);
        try {
            return channel.send(data, to.toSocketAddress()) != 0;
        } finally {
            data.clear();
        }
    }

    @Override
    public void await(long timeoutMillis) throws IOException {
        selector.select(ignoreKey, Math.max(1, timeoutMillis));
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int receiveBufferSize() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public String kind() {
        return "nio";
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
