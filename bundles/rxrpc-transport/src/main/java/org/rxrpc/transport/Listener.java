package org.rxrpc.transport;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.rxrpc.security.ServiceSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service offered on an endpoint: its backlog, its kept first packets, and the user call IDs in use.
 * Charging and discarding are {@link Accept}'s; this class holds the state and the close sequence.
 */
abstract class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    static final long DEFAULT_CLOSE_WAIT_SECONDS = 10;
    static final long SECURITY_CHANGE_WAIT_SECONDS = 5;

    final Endpoint endpoint;
    final int serviceId;
    final int backlogMax;
    final Backlog backlog;
    /**
     * The security classes the service accepts and its minimum level, for new connections: read and, after
     * the listen, written by the I/O thread only ({@link #changeSecurity}, through its command queue).
     */
    ServiceSecurity security;
    /** First packets of calls waiting for a charge, or null when the endpoint answers BUSY at once. */
    final DeferredCalls deferred;

    final Object chargeLock = new Object();
    /** User call IDs from their charge until their call is released. Guarded by chargeLock. */
    final Set<Long> idsInUse = new HashSet<>();

    private volatile boolean closed;
    /** Completes once the service's calls in progress are done (or aborted at the end of the drain). */
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Set when close() started the drain. Guarded by chargeLock. */
    private boolean drainStarted;

    // ---- I/O thread state ----
    /** Server calls of this service made live and not yet complete, and their list, oldest first. */
    int liveCalls;
    /** New calls for this service answered BUSY (for operators). */
    long busySent;

    Call oldestLive;
    Call newestLive;
    /** Closed: no more supply; new calls get BUSY until lingerUntil, then the service is forgotten. */
    boolean draining;

    long drainDeadline;
    long lingerUntil;

    Listener(Endpoint endpoint, int serviceId, int backlogMax) {
        this(endpoint, serviceId, backlogMax, ServiceSecurity.NULL_ONLY);
    }

    Listener(Endpoint endpoint, int serviceId, int backlogMax, ServiceSecurity security) {
        if (serviceId < 1 || serviceId > 65535) {
            throw new IllegalArgumentException("serviceId must be 1..65535: " + serviceId);
        }
        if (backlogMax < 1 || backlogMax > Backlog.MAX) {
            throw new IllegalArgumentException("backlog must be 1.." + Backlog.MAX + ": " + backlogMax);
        }
        this.endpoint = endpoint;
        this.serviceId = serviceId;
        this.backlogMax = backlogMax;
        this.security = java.util.Objects.requireNonNull(security, "security");
        this.backlog = new Backlog(security);
        this.deferred = endpoint.options.newCallDeferMillis() > 0 ? new DeferredCalls(backlogMax) : null;
    }

    /** I/O thread: a charged call was just made live. */
    abstract void callMadeLive(Call call);

    /** A charged call that never became live is being thrown away (on the closing thread). */
    abstract void discarded(Call call);

    /** Calls made live but not yet handed to the application (user-socket mode). */
    int waitingCalls() {
        return 0;
    }

    /** User-socket mode: abort the calls waiting for accept. */
    void drainWaiting() {}

    boolean isClosed() {
        return closed;
    }

    /** Frees a released call's user call ID (each call releases once: {@link Call#release}). */
    void freeId(long userCallId) {
        if (userCallId == -1) return;
        synchronized (chargeLock) {
            idsInUse.remove(userCallId);
        }
    }

    /** Reserves an ID for a call being accepted; false if it is in use. */
    boolean reserveId(long userCallId) {
        synchronized (chargeLock) {
            return idsInUse.add(userCallId);
        }
    }

    /**
     * New connections from now on accept {@code next}: applied on the I/O thread (its admission check and the
     * backlog's next charges together), waited for up to {@link #SECURITY_CHANGE_WAIT_SECONDS}.
     */
    public void changeSecurity(ServiceSecurity next) {
        java.util.Objects.requireNonNull(next, "security");
        CompletableFuture<Void> applied = new CompletableFuture<>();
        endpoint.submit(() -> {
            security = next;
            backlog.security(next);
            applied.complete(null);
        });
        if (!endpoint.await(applied, TimeUnit.SECONDS.toNanos(SECURITY_CHANGE_WAIT_SECONDS))) {
            LOG.warn(
                    "service {} on {}: its new security classes ({}) wait for the I/O thread",
                    serviceId,
                    endpoint.localAddress(),
                    next);
        }
    }

    public void close() {
        long grace = endpoint.options.serviceDrainMillis();
        close(grace + TimeUnit.SECONDS.toMillis(DEFAULT_CLOSE_WAIT_SECONDS), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the service. No charge gets in after this, and the I/O thread supplies no more calls from it
     * (it checks {@link #isClosed}); every call still charged is discarded here and now (the rings let
     * either side take a call, never both). The I/O thread then drains the service: its calls in
     * progress may finish within the endpoint's serviceDrainMillis, new calls get BUSY meanwhile (the
     * clients retry: a restarted service serves them), and what is left at the end is aborted with
     * RX_RESTARTING. We wait, bounded, for the calls in progress.
     */
    public boolean close(long timeout, TimeUnit unit) {
        return close(endpoint.options.serviceDrainMillis(), unit.toNanos(timeout));
    }

    /** The endpoint is closing: no grace period. */
    boolean closeNow(long timeoutNanos) {
        return close(0, timeoutNanos);
    }

    private boolean close(long graceMillis, long timeoutNanos) {
        boolean first = false;
        synchronized (chargeLock) {
            if (!drainStarted) {
                drainStarted = true;
                closed = true; // no charge gets in after this
                first = true;
            }
        }
        if (first) {
            Accept.discardAll(this);
            drainWaiting();
            endpoint.drain(this, graceMillis);
        }
        boolean done = endpoint.await(drained, timeoutNanos);
        if (!done) {
            LOG.warn(
                    "service {} on {} closed and its charged calls discarded, but its calls in progress did not end"
                            + " within {} ms (a notifier blocking the I/O thread?): they end when it gets to them",
                    serviceId,
                    endpoint.localAddress(),
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
        return done;
    }
}
