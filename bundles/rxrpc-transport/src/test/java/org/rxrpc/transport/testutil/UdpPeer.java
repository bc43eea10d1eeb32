package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A plain DatagramSocket on 127.0.0.1 whose own thread records everything that arrives (and, as a
 * server, can echo it back), so a test can send bursts without the receive buffer overflowing.
 * Used by the LossyUdpRelay tests; close() stops the thread and the socket.
 */
final class UdpPeer implements AutoCloseable {

    private final DatagramSocket socket;
    private final boolean echo;
    private final Thread reader;
    private final List<RawRxSocket.Received> received = new ArrayList<>();
    private volatile boolean running = true;

    private UdpPeer(boolean echo) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.socket.setReceiveBufferSize(4 << 20);
        this.socket.setSoTimeout(50); // lets the reader notice close() promptly
        this.echo = echo;
        this.reader = new Thread(this::readLoop, "udp-peer-" + socket.getLocalPort());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** A peer that only records what it receives. */
    static UdpPeer sink() throws IOException {
        return new UdpPeer(false);
    }

    /** A peer that records what it receives and sends each datagram straight back to its source. */
    static UdpPeer echoServer() throws IOException {
        return new UdpPeer(true);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(InetSocketAddress to, byte[] data) {
        try {
            socket.send(new DatagramPacket(data, data.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the 4-byte big-endian number {@code n}: easy to tell datagrams apart and check order. */
    void sendNumber(InetSocketAddress to, int n) {
        send(to, ByteBuffer.allocate(4).putInt(n).array());
    }

    synchronized List<RawRxSocket.Received> received() {
        return List.copyOf(received);
    }

    synchronized int receivedCount() {
        return received.size();
    }

    /** The numbers sent with {@link #sendNumber}, in arrival order. */
    synchronized List<Integer> receivedNumbers() {
        return received.stream().map(r -> ByteBuffer.wrap(r.data()).getInt()).toList();
    }

    /** Polls {@code condition} until it holds; false if {@code timeout} passes first. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void readLoop() {
        byte[] buffer = new byte[65_535];
        while (running) {
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] data = Arrays.copyOf(p.getData(), p.getLength());
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            synchronized (this) {
                received.add(new RawRxSocket.Received(from, data));
            }
            if (echo) {
                send(from, data);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close(); // also ends a reader stuck in receive()
    }
}
