package org.rxrpc.transport.jmx;

import java.util.Map;

/**
 * One Rx endpoint, as JMX shows it: {@code org.rxrpc:type=Endpoint,port=PORT}. Every read takes a fresh
 * snapshot on the endpoint's I/O thread.
 */
public interface EndpointMXBean {
    /** The address bound, HOST:PORT. */
    String getLocalAddress();

    int getPort();

    /** "native recvmmsg socket" or "NIO DatagramChannel". */
    String getSocket();

    /** The endpoint's settings, by name. */
    Map<String, String> getSettings();

    /** Every counter, by its stable name (Counter.name()). */
    Map<String, Long> getCounters();

    /** The services listened on, by id: "147 backlog 32, charged 32, live 0, deferred 0, busy 0". */
    Map<String, String> getServices();

    int getLiveCalls();

    int getPeers();

    int getConnections();

    int getFreePacketBuffers();

    long getCallsMadeLive();

    long getBusySent();

    long getDatagramsReceived();

    long getDatagramsSent();

    /** Datagrams dropped as malformed, unroutable or unbufferable. */
    long getDrops();
}
