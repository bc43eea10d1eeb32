package org.rxrpc.transport;

import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxTransport;

/**
 * The transport service: each {@link #open} binds a UDP socket with its own I/O thread, or several sockets
 * on one port with one I/O thread each ({@link EndpointOptions#ioThreads()}).
 */
public final class RxTransportImpl implements RxTransport {
    @Override
    public RxEndpoint open(EndpointOptions options) {
        return options.ioThreads() > 1 ? new ReusePortEndpoint(options) : new Endpoint(options);
    }

    /**
     * Opens an endpoint for a service about to listen on it (the whiteboard): until one does (at most a
     * second), a call for a service it does not offer gets BUSY, which the client retries, rather than the
     * unknown-service abort, which would end a call that came a moment early.
     */
    public RxEndpoint openForService(EndpointOptions options) {
        if (options.ioThreads() > 1) {
            ReusePortEndpoint group = new ReusePortEndpoint(options);
            group.awaitFirstService();
            return group;
        }
        Endpoint e = new Endpoint(options);
        e.awaitFirstService();
        return e;
    }
}
