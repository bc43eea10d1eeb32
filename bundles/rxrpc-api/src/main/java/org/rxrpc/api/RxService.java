package org.rxrpc.api;

import java.util.concurrent.TimeUnit;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A service listened on in kernel-service mode. The owner charges the preallocation with user call IDs;
 * the I/O thread makes a charged call live when a new call arrives and tells the {@link NewCallNotifier},
 * which should wake the owner's worker to charge again. With nothing charged, new calls are answered
 * BUSY (the client retries later and loses nothing).
 */
@ProviderType
public interface RxService extends AutoCloseable {

    int serviceId();

    /** The configured backlog, 1..32. */
    int backlog();

    /** Calls charged and not yet made live. */
    int chargedCalls();

    /**
     * Preallocates one call bound to {@code userCallId} (and a connection and peer record if the rings
     * need one to keep #calls &gt;= #conns &gt;= #peers). {@code attach} runs on the calling thread before
     * this returns, handing over the call object; the call becomes live when a client's call arrives.
     *
     * @throws BacklogFullException if {@link #backlog()} calls are already charged (Linux -ENOBUFS)
     * @throws CallIdInUseException if the ID belongs to a charged or unreleased call (Linux -EBADSLT)
     * @throws ServiceClosedException if the service or its endpoint is closed (Linux -ESHUTDOWN)
     */
    void charge(long userCallId, AttachCallback attach, ReceiveNotifier notifyRx);

    /**
     * Stops offering the service: every call still charged is handed to the {@link DiscardNotifier}
     * exactly once before this returns, whatever the I/O thread is doing; new calls for the service are
     * aborted, and the I/O thread aborts the calls in progress with {@link AbortCodes#RX_INVALID_OPERATION}.
     * Waits up to 10 s for the I/O thread to let go of the service (see {@link #close(long, TimeUnit)}).
     * Idempotent.
     */
    @Override
    void close();

    /**
     * {@link #close()} with a bound on the wait for the I/O thread (which may be stuck in a notifier that
     * blocks). The discard does not wait: it is done before this returns in every case. Calling it again
     * waits again.
     *
     * @return true if the I/O thread let go of the service in time (its calls in progress are aborted);
     *     false if it did not (they are aborted when it gets to it)
     */
    boolean close(long timeout, TimeUnit unit);

    /**
     * From now on, new connections are accepted under {@code security} (its classes and minimum level):
     * one under an index it no longer accepts is refused as an unknown class is (a raw ABORT
     * RX_INVALID_OPERATION, counted SECURITY_CLASS_REFUSED), one under a class given anew is challenged by
     * the new object. Connections made before keep the class object they were authenticated by, and their
     * calls go on. The change reaches the I/O thread through its command queue; this waits (5 s at most)
     * until it has. A connection preallocated under the old classes that a new client would need is handed
     * to the discard notifier instead, and its first packet waits for the next charge (or gets BUSY).
     *
     * @since 1.3
     */
    void changeSecurity(org.rxrpc.security.ServiceSecurity security);
}
