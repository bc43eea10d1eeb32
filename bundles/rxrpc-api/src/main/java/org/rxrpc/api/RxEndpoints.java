package org.rxrpc.api;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The transport bundle's shared endpoints (one UDP socket per port, on the configured bind address,
 * with the configured settings) and its whiteboard of services.
 *
 * <p>Whiteboard: a bundle registers a {@link NewCallNotifier} and a {@link DiscardNotifier} as OSGi
 * services with the properties {@link #SERVICE_ID} and {@link #PORT} (and optionally {@link #BACKLOG}).
 * As soon as both are there the transport listens on that port's shared endpoint and hands the
 * {@link RxService} to {@link NewCallNotifier#listening}; the owner charges it from a worker of its own.
 * When either goes, the transport closes the service (it drains, and every charged call goes to the
 * discard notifier once) and tells {@link NewCallNotifier#closed}. Whatever prevents it (a port taken,
 * a service already listened on, a bad property) is the service's {@link ServiceStatus}, never
 * "listening". The serving support ({@code org.rxrpc.service}) does all of this for a plain
 * {@code RxCallHandler} service.
 */
@ProviderType
public interface RxEndpoints {
    /** Service property: the Rx service id (Integer, 1..65535). */
    String SERVICE_ID = "rxrpc.service.id";
    /** Service property: the UDP port (Integer, 0..65535; 0 = any free port). */
    String PORT = "rxrpc.port";
    /** Service property: calls preallocated (Integer, 1..{@link RxEndpoint#MAX_BACKLOG}); default: the transport's. */
    String BACKLOG = "rxrpc.backlog";
    /** Service property of a call handler: calls served at once (Integer, at least 1). */
    String MAX_LIVE_CALLS = "rxrpc.maxLiveCalls";
    /** Service property: a name for logs and reports (String; default: the registering bundle's). */
    String NAME = "rxrpc.service.name";
    /**
     * Service property: the security indexes a service accepts (Integer, an array or collection of them, or
     * text such as {@code "0,2"}; default 0, the null class only). Every index but 0 needs a
     * {@link org.rxrpc.security.ServerSecurity} service with this property naming its index (the rxkad
     * bundle registers index 2 once it has keys); until one is there the service is not listening.
     *
     * @since 1.1
     */
    String SECURITY_INDEX = "rxrpc.securityIndex";
    /**
     * Service property: the lowest level a secured connection may run at ({@code clear}, {@code auth},
     * {@code crypt}, or 0..2; default clear); a client below it is aborted with RXKADLEVELFAIL.
     *
     * @since 1.1
     */
    String MINIMUM_LEVEL = "rxrpc.minimumLevel";

    /**
     * The shared endpoint on {@code port}, opened on first use, for services listened on directly (not
     * through the whiteboard). It stays open until the transport stops.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     * @throws IllegalStateException if the transport is stopping
     */
    RxEndpoint endpoint(int port);

    /** The bind address every shared endpoint uses. */
    String bindAddress();

    /** Every service the whiteboard knows of, with its state. */
    List<ServiceStatus> services();

    /**
     * Every endpoint the transport has open: the shared ones, and those opened through
     * {@link RxTransport#open} on the transport service.
     *
     * @since 1.1
     */
    List<RxEndpoint> endpoints();
}
