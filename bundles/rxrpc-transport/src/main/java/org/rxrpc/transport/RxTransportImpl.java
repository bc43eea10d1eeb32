package org.rxrpc.transport;

import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxTransport;

/** The transport service: each {@link #open} binds a UDP socket with its own I/O thread. */
public final class RxTransportImpl implements RxTransport {
    @Override
    public RxEndpoint open(EndpointOptions options) {
        return new Endpoint(options);
    }
}
