package org.rxrpc.api;

/**
 * Settings of one endpoint. Immutable; start from {@link #defaults()} and change with the withers.
 *
 * @param bindAddress numeric or host name; "127.0.0.1", "::1", "0.0.0.0"
 * @param port UDP port, 0 for an ephemeral one
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF asked of the kernel (it may cap them at
 *     net.core.rmem_max / wmem_max)
 * @param receiveWindow packets we advertise we can take (1..255)
 * @param sendWindow most packets we keep in flight per call (1..255; the peer's window also limits)
 * @param deadTimeMillis a call that hears nothing from its peer this long fails with RX_CALL_DEAD
 * @param idleTimeoutMillis a server call that waits this long for request data fails with
 *     RX_CALL_TIMEOUT
 * @param connectionIdleMillis idle connections are reaped after this long
 * @param packetBuffers packet buffers kept by the endpoint (about 1.4 KB each); the I/O thread never
 *     allocates more and drops (counted) what it cannot buffer
 * @param newCallDeferMillis how long the first packet of a new call that finds the backlog empty is
 *     kept (up to one per backlog slot) waiting for a charge before the client is answered BUSY; 0
 *     answers BUSY at once, as Linux does
 */
public record EndpointOptions(
        String bindAddress,
        int port,
        int socketBufferBytes,
        int receiveWindow,
        int sendWindow,
        long deadTimeMillis,
        long idleTimeoutMillis,
        long connectionIdleMillis,
        int packetBuffers,
        long newCallDeferMillis) {

    public EndpointOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
        if (receiveWindow < 1 || receiveWindow > 255)
            throw new IllegalArgumentException("receiveWindow must be 1..255: " + receiveWindow);
        if (sendWindow < 1 || sendWindow > 255)
            throw new IllegalArgumentException("sendWindow must be 1..255: " + sendWindow);
        if (deadTimeMillis < 100 || idleTimeoutMillis < 100 || connectionIdleMillis < 100)
            throw new IllegalArgumentException("timeouts must be at least 100 ms");
        if (packetBuffers < 64) throw new IllegalArgumentException("packetBuffers must be at least 64");
        if (socketBufferBytes < 65536) throw new IllegalArgumentException("socketBufferBytes must be at least 64 KiB");
        if (newCallDeferMillis < 0) throw new IllegalArgumentException("newCallDeferMillis must not be negative");
    }

    public static EndpointOptions defaults() {
        return new EndpointOptions("127.0.0.1", 0, 8 << 20, 255, 255, 20_000, 60_000, 600_000, 16384, 1000);
    }

    public EndpointOptions withBind(String address, int udpPort) {
        return new EndpointOptions(
                address,
                udpPort,
                socketBufferBytes,
                receiveWindow,
                sendWindow,
                deadTimeMillis,
                idleTimeoutMillis,
                connectionIdleMillis,
                packetBuffers,
                newCallDeferMillis);
    }

    public EndpointOptions withWindows(int receive, int send) {
        return new EndpointOptions(
                bindAddress,
                port,
                socketBufferBytes,
                receive,
                send,
                deadTimeMillis,
                idleTimeoutMillis,
                connectionIdleMillis,
                packetBuffers,
                newCallDeferMillis);
    }

    public EndpointOptions withTimeouts(long deadTime, long idleTimeout, long connectionIdle) {
        return new EndpointOptions(
                bindAddress,
                port,
                socketBufferBytes,
                receiveWindow,
                sendWindow,
                deadTime,
                idleTimeout,
                connectionIdle,
                packetBuffers,
                newCallDeferMillis);
    }

    public EndpointOptions withBuffers(int socketBuffer, int packets) {
        return new EndpointOptions(
                bindAddress,
                port,
                socketBuffer,
                receiveWindow,
                sendWindow,
                deadTimeMillis,
                idleTimeoutMillis,
                connectionIdleMillis,
                packets,
                newCallDeferMillis);
    }

    public EndpointOptions withNewCallDeferMillis(long millis) {
        return new EndpointOptions(
                bindAddress,
                port,
                socketBufferBytes,
                receiveWindow,
                sendWindow,
                deadTimeMillis,
                idleTimeoutMillis,
                connectionIdleMillis,
                packetBuffers,
                millis);
    }
}
