package org.rxrpc.api;

import org.osgi.annotation.versioning.ProviderType;

/** The transport service: opens local Rx endpoints, each one UDP socket with its own I/O thread. */
@ProviderType
public interface RxTransport {

    /**
     * Binds a UDP socket and starts the endpoint's I/O thread.
     *
     * @throws java.io.UncheckedIOException if the socket cannot be bound
     */
    RxEndpoint open(EndpointOptions options);
}
