package org.rxrpc.api;

import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A service listened on in user-socket mode: the transport charges anonymous calls itself (at listen,
 * and again on every accept and reject). Calls charged manually with {@link #chargeAccept} carry their
 * ID in advance and skip accept (Linux {@code RXRPC_CHARGE_ACCEPT}).
 */
@ProviderType
public interface RxUserService extends AutoCloseable {

    int serviceId();

    int backlog();

    /** Incoming calls made live from anonymous charges and not yet accepted or rejected. */
    int pendingCalls();

    /**
     * Takes the oldest incoming call waiting for accept, binds it to {@code userCallId} and recharges one
     * anonymous call. Waits up to the timeout for one to arrive.
     *
     * @return the call, or null if none arrived in time
     * @throws CallIdInUseException if the ID is in use (the waiting call stays queued)
     * @throws ServiceClosedException if the service is closed
     */
    RxCall accept(long userCallId, ReceiveNotifier notifyRx, long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Aborts the oldest incoming call waiting for accept with {@code abortCode} and recharges one.
     *
     * @return false if no call was waiting
     * @throws ServiceClosedException if the service is closed
     */
    boolean reject(int abortCode);

    /**
     * Manual charge: preallocates a call already bound to {@code userCallId}. When a client's call
     * takes it, it needs no accept: it is handed out by {@link #nextChargedCall}.
     *
     * @throws BacklogFullException if the backlog is fully charged
     * @throws CallIdInUseException if the ID is in use
     * @throws ServiceClosedException if the service is closed
     */
    void chargeAccept(long userCallId, ReceiveNotifier notifyRx);

    /**
     * The next call made live from a manual charge, oldest first.
     *
     * @return the call, or null if none became live in time
     */
    RxCall nextChargedCall(long timeout, TimeUnit unit) throws InterruptedException;

    /**
     * Stops offering the service; calls waiting for accept and in progress are aborted. Waits up to 10 s
     * for the I/O thread to let go of the service. Idempotent.
     */
    @Override
    void close();

    /**
     * {@link #close()} with a bound on the wait for the I/O thread.
     *
     * @return true if the I/O thread let go of the service in time
     */
    boolean close(long timeout, TimeUnit unit);

    /**
     * From now on, new connections are accepted under {@code security} (its classes and minimum level):
     * one under an index it no longer accepts is refused as an unknown class is (a raw ABORT
     * RX_INVALID_OPERATION, counted SECURITY_CLASS_REFUSED), one under a class given anew is challenged by
     * the new object. Connections made before keep the class object they were authenticated by, and their
     * calls go on. The change reaches the I/O thread through its command queue; this waits (5 s at most)
     * until it has. A connection preallocated under the old classes that a new client would need is dropped
     * with the call charged beside it (an anonymous call is charged again by the next accept or reject, a
     * manually charged one releases its ID), and the client's first packet waits for the next charge (or
     * gets BUSY).
     *
     * @since 1.3
     */
    void changeSecurity(org.rxrpc.security.ServiceSecurity security);
}
