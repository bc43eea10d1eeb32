package org.rxrpc.api;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Settings of one endpoint. Immutable: start from {@link #defaults()} or {@link #builder()}, change with
 * {@link #toBuilder()} or the {@code with...} shortcuts. Every setting is checked when built; a bad value
 * is an {@link IllegalArgumentException} naming the setting, the value and the allowed range.
 */
public final class EndpointOptions {
    /** Who gets answers to rxdebug's DEBUG requests (VERSION is answered to everyone). */
    public enum DebugAnswers {
        ALL,
        /** Loopback, link-local and private networks (RFC 1918, RFC 4193). */
        LOCAL,
        NONE
    }

    /** Most I/O threads (sockets sharing the port) of one endpoint. */
    public static final int MAX_IO_THREADS = 64;

    /** Most packets a call's window can hold (the ACK's one-byte count). */
    public static final int MAX_WINDOW = 255;

    private final String bindAddress;
    private final int port;
    private final int socketBufferBytes;
    private final int receiveWindow;
    private final int sendWindow;
    private final long deadTimeMillis;
    private final long idleTimeoutMillis;
    private final long connectionIdleMillis;
    private final int packetBuffers;
    private final long newCallDeferMillis;
    private final int maxConnections;
    private final int maxPeers;
    private final boolean nativeIo;
    private final long serviceDrainMillis;
    private final DebugAnswers debugAnswers;
    private final int debugAnswersPerSecond;
    private final int ioThreads;
    private final long challengeTimeoutMillis;

    private EndpointOptions(Builder b) {
        bindAddress = checkBindAddress(b.bindAddress);
        port = check("port", b.port, 0, 65535);
        socketBufferBytes = check("socketBufferBytes", b.socketBufferBytes, 65536, Integer.MAX_VALUE);
        receiveWindow = check("receiveWindow", b.receiveWindow, 1, MAX_WINDOW);
        sendWindow = check("sendWindow", b.sendWindow, 1, MAX_WINDOW);
        deadTimeMillis = check("deadTimeMillis", b.deadTimeMillis, 100, Long.MAX_VALUE);
        idleTimeoutMillis = check("idleTimeoutMillis", b.idleTimeoutMillis, 100, Long.MAX_VALUE);
        connectionIdleMillis = check("connectionIdleMillis", b.connectionIdleMillis, 100, Long.MAX_VALUE);
        packetBuffers = check("packetBuffers", b.packetBuffers, 64, 1 << 24);
        newCallDeferMillis = check("newCallDeferMillis", b.newCallDeferMillis, 0, Long.MAX_VALUE);
        maxConnections = check("maxConnections", b.maxConnections, 16, 1 << 22);
        maxPeers = check("maxPeers", b.maxPeers, 16, 1 << 22);
        nativeIo = b.nativeIo;
        serviceDrainMillis = check("serviceDrainMillis", b.serviceDrainMillis, 0, 3_600_000);
        debugAnswers = Objects.requireNonNull(b.debugAnswers, "debugAnswers");
        debugAnswersPerSecond = check("debugAnswersPerSecond", b.debugAnswersPerSecond, 1, 1000);
        ioThreads = check("ioThreads", b.ioThreads, 1, MAX_IO_THREADS);
        challengeTimeoutMillis = check("challengeTimeoutMillis", b.challengeTimeoutMillis, 100, 600_000);
        if (ioThreads > 1 && !nativeIo) {
            throw new IllegalArgumentException(
                    "ioThreads " + ioThreads + " needs nativeIo true: the sockets' steering is the native socket's");
        }
    }

    /**
     * A bind address must name this machine: the wildcard (0.0.0.0, ::) or an address of one of its
     * interfaces, as an IP literal or a host name that resolves to one.
     */
    private static String checkBindAddress(String value) {
        Objects.requireNonNull(value, "bindAddress");
        String why;
        if (value.isBlank()) {
            why = "it is empty";
        } else {
            try {
                InetAddress a = InetAddress.getByName(value.trim());
                if (a.isAnyLocalAddress() || a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null) {
                    return value.trim();
                }
                why = a.getHostAddress() + " is not an address of this machine";
            } catch (UnknownHostException e) {
                why = "unknown host";
            } catch (SocketException e) {
                why = "cannot list this machine's addresses: " + e.getMessage();
            }
        }
        throw new IllegalArgumentException("bindAddress must be an address of this machine (127.0.0.1, ::1, 0.0.0.0,"
                + " an interface's address or host name), not '" + value + "': " + why);
    }

    private static int check(String name, int value, int min, int max) {
        return (int) check(name, (long) value, min, max);
    }

    private static long check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            String range = max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "at least " + min : min + ".." + max;
            throw new IllegalArgumentException(name + " must be " + range + ", not " + value);
        }
        return value;
    }

    public static EndpointOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Numeric address or host name to bind: "127.0.0.1" (default), "::1", "0.0.0.0"; it must be the
     * wildcard or an address of this machine (checked when built).
     */
    public String bindAddress() {
        return bindAddress;
    }

    /** UDP port, 0 (default) for an ephemeral one. */
    public int port() {
        return port;
    }

    /** SO_RCVBUF and SO_SNDBUF asked of the kernel (8 MiB; it may cap them at net.core.rmem_max). */
    public int socketBufferBytes() {
        return socketBufferBytes;
    }

    /** Packets we advertise we can take per call, 1..255 (255). */
    public int receiveWindow() {
        return receiveWindow;
    }

    /** Most packets we keep in flight per call, 1..255 (255; the peer's window also limits). */
    public int sendWindow() {
        return sendWindow;
    }

    /** A call that hears nothing from its peer this long fails with RX_CALL_DEAD (20 s). */
    public long deadTimeMillis() {
        return deadTimeMillis;
    }

    /** A server call that waits this long for request data fails with RX_CALL_TIMEOUT (60 s). */
    public long idleTimeoutMillis() {
        return idleTimeoutMillis;
    }

    /** Idle connections (and then peers) are reaped after this long (600 s). */
    public long connectionIdleMillis() {
        return connectionIdleMillis;
    }

    /**
     * Packet buffers kept by the endpoint (about 1.4 KB each, 16384); the I/O thread never allocates more
     * and drops (counted) what it cannot buffer.
     */
    public int packetBuffers() {
        return packetBuffers;
    }

    /**
     * How long the first packet of a new call that finds the backlog empty is kept (up to one per backlog
     * slot) waiting for a charge before the client is answered BUSY (1000 ms); 0 answers BUSY at once, as
     * Linux does.
     */
    public long newCallDeferMillis() {
        return newCallDeferMillis;
    }

    /**
     * Most server connections held at once (16384). The table is sized for it at start and never grows;
     * at the cap the least recently used idle connection makes room, and with none idle a new call is
     * answered BUSY.
     */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most peers (remote UDP addresses) held at once (16384), with the same rule as the connections. */
    public int maxPeers() {
        return maxPeers;
    }

    /**
     * Use the transport's native socket (recvmmsg, no allocation per datagram) where it is available,
     * Linux x86-64 (true); else, or with false, Java's DatagramChannel.
     */
    public boolean nativeIo() {
        return nativeIo;
    }

    /**
     * The grace period of a service that closes (5000 ms): its calls in progress may finish within it,
     * and new calls for it meanwhile get BUSY (clients retry, so a service restarted within it loses no
     * call); then what is left is aborted with {@link AbortCodes#RX_RESTARTING}. 0 = at once.
     */
    public long serviceDrainMillis() {
        return serviceDrainMillis;
    }

    /**
     * Who gets answers to DEBUG requests (rxdebug's statistics and lists): {@link DebugAnswers#LOCAL} by
     * default, since they are bigger than the request (up to 8.7 times) and a spoofed source would make
     * the endpoint a reflector; administrators use rxdebug from the same site.
     */
    public DebugAnswers debugAnswers() {
        return debugAnswers;
    }

    /** Connectionless answers (DEBUG and VERSION) per source and second (10; the endpoint: ten times that). */
    public int debugAnswersPerSecond() {
        return debugAnswersPerSecond;
    }

    /**
     * I/O threads (1): more than one opens that many sockets on the same port (SO_REUSEPORT), each with
     * its own I/O thread, peers, connections and calls. The kernel hands each datagram to one of them: a
     * client connection's packets (by its connection ID) always to the same one, and the replies to this
     * endpoint's own client calls to the first. A service listens on all of them. Needs the native socket
     * (Linux); user-socket mode ({@link RxEndpoint#listenUser}) needs one I/O thread.
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * How long a call on a connection whose client must first answer a security class's CHALLENGE (rxkad) is
     * held for the client's RESPONSE (10000 ms, 100..600000): the CHALLENGE is resent every 2 s (OpenAFS's
     * RX_CHALLENGE_TIMEOUT) until then, and then the held calls are aborted RX_CALL_DEAD. OpenAFS waits
     * 100 s (50 tries); a held call holds a backlog slot, so a client that never answers keeps it this long.
     *
     * @since 1.3
     */
    public long challengeTimeoutMillis() {
        return challengeTimeoutMillis;
    }

    public EndpointOptions withIoThreads(int threads) {
        return toBuilder().ioThreads(threads).build();
    }

    public EndpointOptions withBind(String address, int udpPort) {
        return toBuilder().bindAddress(address).port(udpPort).build();
    }

    public EndpointOptions withWindows(int receive, int send) {
        return toBuilder().receiveWindow(receive).sendWindow(send).build();
    }

    public EndpointOptions withTimeouts(long deadTime, long idleTimeout, long connectionIdle) {
        return toBuilder()
                .deadTimeMillis(deadTime)
                .idleTimeoutMillis(idleTimeout)
                .connectionIdleMillis(connectionIdle)
                .build();
    }

    public EndpointOptions withBuffers(int socketBuffer, int packets) {
        return toBuilder()
                .socketBufferBytes(socketBuffer)
                .packetBuffers(packets)
                .build();
    }

    public EndpointOptions withNewCallDeferMillis(long millis) {
        return toBuilder().newCallDeferMillis(millis).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndpointOptions other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "EndpointOptions[bindAddress=" + bindAddress + ", port=" + port + ", socketBufferBytes="
                + socketBufferBytes + ", receiveWindow=" + receiveWindow + ", sendWindow=" + sendWindow
                + ", deadTimeMillis=" + deadTimeMillis + ", idleTimeoutMillis=" + idleTimeoutMillis
                + ", connectionIdleMillis=" + connectionIdleMillis + ", packetBuffers=" + packetBuffers
                + ", newCallDeferMillis=" + newCallDeferMillis + ", maxConnections=" + maxConnections
                + ", maxPeers=" + maxPeers + ", nativeIo=" + nativeIo
                + ", serviceDrainMillis=" + serviceDrainMillis + ", debugAnswers=" + debugAnswers
                + ", debugAnswersPerSecond=" + debugAnswersPerSecond + ", ioThreads=" + ioThreads
                + ", challengeTimeoutMillis=" + challengeTimeoutMillis + "]";
    }

    /** Collects settings; {@link #build()} checks them all. Not thread-safe. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private int socketBufferBytes = 8 << 20;
        private int receiveWindow = MAX_WINDOW;
        private int sendWindow = MAX_WINDOW;
        private long deadTimeMillis = 20_000;
        private long idleTimeoutMillis = 60_000;
        private long connectionIdleMillis = 600_000;
        private int packetBuffers = 16384;
        private long newCallDeferMillis = 1000;
        private int maxConnections = 16384;
        private int maxPeers = 16384;
        private boolean nativeIo = true;
        private long serviceDrainMillis = 5000;
        private DebugAnswers debugAnswers = DebugAnswers.LOCAL;
        private int debugAnswersPerSecond = 10;
        private int ioThreads = 1;
        private long challengeTimeoutMillis = 10_000;

        private Builder() {}

        private Builder(EndpointOptions o) {
            bindAddress = o.bindAddress;
            port = o.port;
            socketBufferBytes = o.socketBufferBytes;
            receiveWindow = o.receiveWindow;
            sendWindow = o.sendWindow;
            deadTimeMillis = o.deadTimeMillis;
            idleTimeoutMillis = o.idleTimeoutMillis;
            connectionIdleMillis = o.connectionIdleMillis;
            packetBuffers = o.packetBuffers;
            newCallDeferMillis = o.newCallDeferMillis;
            maxConnections = o.maxConnections;
            maxPeers = o.maxPeers;
            nativeIo = o.nativeIo;
            serviceDrainMillis = o.serviceDrainMillis;
            debugAnswers = o.debugAnswers;
            debugAnswersPerSecond = o.debugAnswersPerSecond;
            ioThreads = o.ioThreads;
            challengeTimeoutMillis = o.challengeTimeoutMillis;
        }

        public Builder bindAddress(String value) {
            bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder socketBufferBytes(int value) {
            socketBufferBytes = value;
            return this;
        }

        public Builder receiveWindow(int value) {
            receiveWindow = value;
            return this;
        }

        public Builder sendWindow(int value) {
            sendWindow = value;
            return this;
        }

        public Builder deadTimeMillis(long value) {
            deadTimeMillis = value;
            return this;
        }

        public Builder idleTimeoutMillis(long value) {
            idleTimeoutMillis = value;
            return this;
        }

        public Builder connectionIdleMillis(long value) {
            connectionIdleMillis = value;
            return this;
        }

        public Builder packetBuffers(int value) {
            packetBuffers = value;
            return this;
        }

        public Builder newCallDeferMillis(long value) {
            newCallDeferMillis = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxPeers(int value) {
            maxPeers = value;
            return this;
        }

        public Builder nativeIo(boolean value) {
            nativeIo = value;
            return this;
        }

        public Builder serviceDrainMillis(long value) {
            serviceDrainMillis = value;
            return this;
        }

        public Builder debugAnswers(DebugAnswers value) {
            debugAnswers = value;
            return this;
        }

        public Builder debugAnswersPerSecond(int value) {
            debugAnswersPerSecond = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        /** See {@link EndpointOptions#challengeTimeoutMillis()}. @since 1.3 */
        public Builder challengeTimeoutMillis(long value) {
            challengeTimeoutMillis = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of its range */
        public EndpointOptions build() {
            return new EndpointOptions(this);
        }
    }
}
