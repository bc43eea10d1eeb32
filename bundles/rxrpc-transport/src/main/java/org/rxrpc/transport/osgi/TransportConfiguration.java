package org.rxrpc.transport.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of the transport bundle, PID {@code org.rxrpc.transport}; every one has a working default. */
@ObjectClassDefinition(
        name = "rxrpc transport",
        description = "Rx over UDP: where the shared endpoints bind and how their calls behave.")
public @interface TransportConfiguration {
    @AttributeDefinition(
            name = "Bind address",
            description = "Local address of every shared endpoint (127.0.0.1, ::1, 0.0.0.0...).")
    String bindAddress() default "127.0.0.1";

    @AttributeDefinition(
            name = "Default backlog",
            description = "Calls preallocated per service when a service asks for the default (1..32).",
            min = "1",
            max = "32")
    int defaultBacklog() default 8;

    @AttributeDefinition(
            name = "Dead time (ms)",
            description = "A call that hears nothing from its peer this long fails RX_CALL_DEAD.",
            min = "100")
    long deadTimeMillis() default 20_000;

    @AttributeDefinition(
            name = "Idle timeout (ms)",
            description = "A server call waiting this long for request data fails RX_CALL_TIMEOUT.",
            min = "100")
    long idleTimeoutMillis() default 60_000;

    @AttributeDefinition(
            name = "Connection idle time (ms)",
            description = "Idle connections are reaped after this long.",
            min = "100")
    long connectionIdleMillis() default 600_000;

    @AttributeDefinition(
            name = "Receive window",
            description = "Packets we advertise we can take (1..255).",
            min = "1",
            max = "255")
    int receiveWindow() default 255;

    @AttributeDefinition(
            name = "Send window",
            description = "Most packets in flight per call (1..255).",
            min = "1",
            max = "255")
    int sendWindow() default 255;

    @AttributeDefinition(
            name = "Socket buffer bytes",
            description = "SO_RCVBUF and SO_SNDBUF asked of the kernel (capped at net.core.rmem_max).",
            min = "65536")
    int socketBufferBytes() default 8 << 20;

    @AttributeDefinition(
            name = "Packet buffers",
            description = "Pooled packet buffers per endpoint (about 1.4 KB each; 64..16777216).",
            min = "64",
            max = "16777216")
    int packetBuffers() default 16384;

    @AttributeDefinition(
            name = "New-call deferral (ms)",
            description =
                    "How long a new call that finds the backlog empty waits for a charge before BUSY; 0 = BUSY at once.",
            min = "0")
    long newCallDeferMillis() default 1000;

    @AttributeDefinition(
            name = "Most connections",
            description = "Server connections held per endpoint; at the cap the least recently used idle one"
                    + " makes room, and with none idle a new call gets BUSY (16..4194304).",
            min = "16",
            max = "4194304")
    int maxConnections() default 16384;

    @AttributeDefinition(
            name = "Most peers",
            description = "Remote addresses held per endpoint, with the same rule (16..4194304).",
            min = "16",
            max = "4194304")
    int maxPeers() default 16384;

    @AttributeDefinition(
            name = "Native socket",
            description = "Use the bundle's native socket (recvmmsg, no allocation per datagram) where it loads"
                    + " (Linux x86-64); false = Java's DatagramChannel.")
    boolean nativeIo() default true;

    @AttributeDefinition(
            name = "Service drain (ms)",
            description = "When a service stops, its calls in progress may finish within this long while new calls"
                    + " get BUSY (they retry); then the rest is aborted RX_RESTARTING. 0 = at once.",
            min = "0",
            max = "3600000")
    long serviceDrainMillis() default 5000;

    @AttributeDefinition(
            name = "rxdebug answers",
            description = "Who gets answers to rxdebug's DEBUG requests: ALL, LOCAL (loopback, link-local, private"
                    + " networks) or NONE. VERSION is answered to everyone.",
            options = {
                @Option(label = "everyone", value = "ALL"),
                @Option(label = "local networks", value = "LOCAL"),
                @Option(label = "no one", value = "NONE")
            })
    String debugAnswers() default "LOCAL";

    @AttributeDefinition(
            name = "rxdebug answers per second",
            description = "DEBUG and VERSION answers per source and second (the endpoint: ten times that).",
            min = "1",
            max = "1000")
    int debugAnswersPerSecond() default 10;

    @AttributeDefinition(
            name = "I/O threads",
            description = "Sockets per endpoint sharing its port (SO_REUSEPORT), each with its own I/O thread;"
                    + " a client connection always meets the same one. More than 1 needs the native socket;"
                    + " user-socket mode needs 1 (1..64).",
            min = "1",
            max = "64")
    int ioThreads() default 1;

    @AttributeDefinition(
            name = "Challenge timeout (ms)",
            description = "How long a call on a connection whose client must answer a security CHALLENGE (rxkad) is"
                    + " held for the RESPONSE: the CHALLENGE is resent every 2 s until then, then the held calls"
                    + " are aborted RX_CALL_DEAD (100..600000; OpenAFS waits 100 s).",
            min = "100",
            max = "600000")
    long challengeTimeoutMillis() default 10_000;
}
