package org.rxrpc.api;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One local UDP endpoint speaking Rx. It serves the services listened on it and originates client calls.
 * Closing it closes every listening service (discarding their preallocation), aborts every call in
 * progress with {@link AbortCodes#RX_CALL_DEAD} and ends the I/O thread.
 */
@ProviderType
public interface RxEndpoint extends AutoCloseable {
    /** The largest backlog a service may have (Linux RXRPC_BACKLOG_MAX). */
    int MAX_BACKLOG = 32;

    /** The bound local address (with the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /**
     * Kernel-service mode: starts offering {@code serviceId}. Nothing is preallocated yet; the caller
     * charges calls with {@link RxService#charge}. Both notifiers are required, as the kernel requires
     * them before {@code kernel_listen()}.
     *
     * @param backlog at most this many calls (and connections, and peers) are preallocated, 1..32
     * @throws IllegalArgumentException if backlog is outside 1..32 or serviceId outside 1..65535
     * @throws NullPointerException if a notifier is null
     * @throws IllegalStateException if the service is already listened on, or the endpoint is closed
     */
    default RxService listen(int serviceId, int backlog, NewCallNotifier newCall, DiscardNotifier discard) {
        return listen(serviceId, backlog, org.rxrpc.security.ServiceSecurity.NULL_ONLY, newCall, discard);
    }

    /**
     * {@link #listen(int, int, NewCallNotifier, DiscardNotifier)} for a service that accepts the security
     * classes and minimum level of {@code security}. Each charge preallocates, with its connection, the
     * per-connection state of every accepted class; a call on a connection that needs a challenge is offered
     * to the service only once the client's response is verified.
     *
     * @since 1.1
     */
    RxService listen(
            int serviceId,
            int backlog,
            org.rxrpc.security.ServiceSecurity security,
            NewCallNotifier newCall,
            DiscardNotifier discard);

    /**
     * User-socket mode: starts offering {@code serviceId}. With {@code chargeOnListen} the backlog is
     * filled with anonymous calls at once and every {@link RxUserService#accept} and
     * {@link RxUserService#reject} recharges one (the classic listen / accept). Without it nothing is
     * charged: the user charges calls with their IDs through {@link RxUserService#chargeAccept} and they
     * skip accept (Linux RXRPC_CHARGE_ACCEPT).
     *
     * @throws IllegalArgumentException if backlog is outside 1..32 or serviceId outside 1..65535
     * @throws IllegalStateException if the service is already listened on, or the endpoint is closed
     */
    default RxUserService listenUser(int serviceId, int backlog, boolean chargeOnListen) {
        return listenUser(serviceId, backlog, org.rxrpc.security.ServiceSecurity.NULL_ONLY, chargeOnListen);
    }

    /**
     * {@link #listenUser(int, int, boolean)} for a service that accepts the security classes and minimum
     * level of {@code security}, as a Linux AF_RXRPC server socket accepts those of its security keyring:
     * connections are charged with their per-connection security state, a call on a connection that needs a
     * challenge waits for {@link RxUserService#accept} only once the client's response is verified, and
     * {@link RxCall#identity()} tells who called.
     *
     * @since 1.3
     */
    RxUserService listenUser(
            int serviceId, int backlog, org.rxrpc.security.ServiceSecurity security, boolean chargeOnListen);

    /**
     * Starts a client call. Request bytes are sent with {@link RxCall#send}; the reply is read with
     * {@link RxCall#receive}.
     *
     * @param notifyRx optional (may be null): told on the I/O thread when reply data or completion is
     *     ready
     * @throws IllegalStateException if the endpoint is closed
     */
    RxCall newCall(InetSocketAddress server, int serviceId, CallOptions options, ReceiveNotifier notifyRx);

    /**
     * One whole call, blocking: sends {@code request}, returns the reply (the whole message, at most
     * {@code maxReplyBytes}). The options' deadline bounds it.
     *
     * @throws RxCallAbortedException if the server aborted it, or the deadline or dead time passed
     * @throws RxMessageTooLongException if the reply is longer than {@code maxReplyBytes}
     */
    byte[] call(InetSocketAddress server, int serviceId, byte[] request, int maxReplyBytes, CallOptions options)
            throws InterruptedException;

    /** Whether {@link #close()} was called (by us or, for shared endpoints, by the transport). */
    boolean isClosed();

    /** A consistent snapshot of this endpoint's counters. */
    RxStats stats();

    /**
     * What an operator sees of this endpoint, taken at once on its I/O thread (or best effort if it does
     * not answer within 5 s): settings, counters, services, and up to {@code maxEntries} live calls and
     * peers each (their totals are counted too).
     *
     * @since 1.1
     */
    EndpointSnapshot snapshot(int maxEntries);

    /** Closes the endpoint; idempotent. */
    @Override
    void close();
}
