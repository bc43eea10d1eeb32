package org.rxrpc.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The transport bundle's shared endpoints (one UDP socket per port, on the configured bind address,
 * with the configured settings) and the whiteboard way to listen: a service bundle registers its
 * {@link NewCallNotifier} and {@link DiscardNotifier} as OSGi services with the properties
 * {@link #SERVICE_ID} and {@link #PORT}, then calls {@link #listen}. When those notifier services go away,
 * the transport closes the service (each charged call goes to the discard notifier once).
 */
@ProviderType
public interface RxEndpoints {
    /** Service property of a notifier: the Rx service id it serves (Integer, 1..65535). */
    String SERVICE_ID = "rxrpc.service.id";
    /** Service property of a notifier: the UDP port it serves (Integer). */
    String PORT = "rxrpc.port";

    /**
     * The shared endpoint on {@code port}, opened on first use.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     * @throws IllegalStateException if the transport is stopping
     */
    RxEndpoint endpoint(int port);

    /**
     * Listens for {@code serviceId} on the shared endpoint of {@code port} in kernel-service mode, with
     * the notifiers registered for that service id and port.
     *
     * @param backlog 1..32, or 0 for the configured default
     * @throws NotifiersMissingException if no new-call or no discard notifier is registered for them
     * @throws IllegalArgumentException if backlog is outside 0..32
     * @throws IllegalStateException if the service is already listened on
     */
    RxService listen(int port, int serviceId, int backlog);

    /** The bind address every shared endpoint uses. */
    String bindAddress();
}
