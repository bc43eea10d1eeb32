package org.rxrpc.api;

import java.net.InetSocketAddress;

/**
 * What the transport's whiteboard knows of one service (a port and a service id).
 *
 * @param serviceId the Rx service id
 * @param port the UDP port asked for (0: any)
 * @param name the service's name (its {@link RxEndpoints#NAME} property or its bundle)
 * @param state where it is
 * @param boundTo the local address it listens on, once {@link State#LISTENING}; else null
 * @param detail why it is not listening (FAILED), or what it waits for (WAITING); empty when listening
 */
public record ServiceStatus(
        int serviceId, int port, String name, State state, InetSocketAddress boundTo, String detail) {

    public enum State {
        /** One of its two notifier services is registered, the other not yet. */
        WAITING,
        LISTENING,
        /** The transport could not listen: see the detail (port taken, already listened on, bad property). */
        FAILED
    }
}
