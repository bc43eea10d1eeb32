package org.rxrpc.transport.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One bound UDP socket as an endpoint's I/O thread uses it: datagrams in by batches, datagrams out one
 * by one, and a wait that other threads can end. Every method but {@link #wakeup} belongs to the I/O
 * thread; none allocates once the socket is open.
 */
public interface DatagramIo extends AutoCloseable {

    /**
     * Receives what is waiting, without blocking, into the batch (from slot 0).
     *
     * @return how many datagrams (0 if none); a datagram longer than a slot counts with a length of -1
     */
    int receive(ReceiveBatch batch) throws IOException;

    /**
     * Sends {@code length} bytes from the start of {@code data} (a direct buffer) to {@code to}.
     *
     * @return false if the socket could not take it now (send buffer full); Rx retransmits what matters
     */
    boolean send(ByteBuffer data, int length, UdpAddress to) throws IOException;

    /**
     * From now until {@link #flush}, this thread's sends may wait and go out together (fewer system
     * calls); in the same order. Does nothing where batching is not supported.
     */
    default void beginBatch() {}

    /**
     * Sends what waits from the batch and ends it.
     *
     * @return how many datagrams could not be sent (socket full, or refused); they were counted as sent
     */
    default int flush() throws IOException {
        return 0;
    }

    /** Waits until a datagram is readable, {@link #wakeup} is called, or the timeout passes. */
    void await(long timeoutMillis) throws IOException;

    /** From any thread: ends the current wait at once, or the next one if none is in progress. */
    void wakeup();

    InetSocketAddress localAddress();

    /** SO_RCVBUF as the kernel granted it, or -1. */
    int receiveBufferSize();

    /** A short name for logs: "nio" or "native recvmmsg". */
    String kind();

    @Override
    void close();
}
