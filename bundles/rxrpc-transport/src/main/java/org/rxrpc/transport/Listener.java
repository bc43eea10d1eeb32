package org.rxrpc.transport;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.ServiceClosedException;

/**
 * A service offered on an endpoint, with its backlog. Charging happens on application threads under
 * {@link #chargeLock}; the I/O thread consumes the rings without a lock. Closing hands the rings to the
 * closing thread only after the I/O thread has stopped offering the service.
 */
abstract class Listener {
    final Endpoint endpoint;
    final int serviceId;
    final int backlogMax;
    final Backlog backlog = new Backlog();
    /** First packets of calls waiting for a charge, or null when the endpoint answers BUSY at once. */
    final DeferredCalls deferred;

    final Object chargeLock = new Object();
    /** User call IDs held by charged calls and by calls not yet closed. Guarded by chargeLock. */
    private final Set<Long> idsInUse = new HashSet<>();

    private volatile boolean closed;

    Listener(Endpoint endpoint, int serviceId, int backlogMax) {
        if (serviceId < 1 || serviceId > 65535) {
            throw new IllegalArgumentException("serviceId must be 1..65535: " + serviceId);
        }
        if (backlogMax < 1 || backlogMax > Backlog.MAX) {
            throw new IllegalArgumentException("backlog must be 1.." + Backlog.MAX + ": " + backlogMax);
        }
        this.endpoint = endpoint;
        this.serviceId = serviceId;
        this.backlogMax = backlogMax;
        this.deferred = endpoint.options.newCallDeferMillis() > 0 ? new DeferredCalls(backlogMax) : null;
    }

    /** I/O thread: a charged call was just made live. */
    abstract void callMadeLive(Call call);

    /** Calls made live but not yet handed to the application (user-socket mode). */
    int waitingCalls() {
        return 0;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Charges one call. {@code userCallId} -1 makes an anonymous call (user-socket mode).
     *
     * @return the charged call
     */
    Call chargeOne(long userCallId, ReceiveNotifier notifyRx, Consumer<Call> beforePublish) {
        synchronized (chargeLock) {
            if (closed || endpoint.isClosed()) throw new ServiceClosedException("service " + serviceId);
            if (backlog.calls.count() + waitingCalls() >= backlogMax) {
                throw new BacklogFullException(serviceId, backlogMax);
            }
            if (userCallId != -1 && !idsInUse.add(userCallId)) throw new CallIdInUseException(userCallId);
            Call call = new Call(endpoint, false, serviceId, this, CallOptions.DEFAULT);
            call.userCallId = userCallId;
            call.notifyRx = notifyRx;
            if (beforePublish != null) beforePublish.accept(call);
            backlog.charge(call);
            if (deferred != null && deferred.anyWaiting()) endpoint.wakeup(); // a kept call can go live
            return call;
        }
    }

    /** Reserves an ID for a call being accepted; false if it is in use. */
    boolean reserveId(long userCallId) {
        synchronized (chargeLock) {
            return idsInUse.add(userCallId);
        }
    }

    void unreserveId(long userCallId) {
        synchronized (chargeLock) {
            idsInUse.remove(userCallId);
        }
    }

    /** The application closed a call: its ID is free again. */
    void release(Call call) {
        long id = call.userCallId;
        if (id != -1) unreserveId(id);
    }

    /**
     * Stops the service: the I/O thread stops offering it and aborts its calls in progress; then the
     * rings are drained here and each charged call is handed to {@link #discarded} exactly once.
     */
    public void close() {
        synchronized (chargeLock) {
            if (closed) return;
            closed = true;
        }
        endpoint.unregister(this);
        // The I/O thread no longer touches the rings: drain them on this thread.
        while (backlog.peers.take() != null) {}
        while (backlog.conns.take() != null) {}
        Call call;
        while ((call = backlog.calls.take()) != null) {
            call.publishCompletion(CallState.LOCALLY_ABORTED, AbortCodes.RX_CALL_DEAD);
            endpoint.countDiscard();
            discarded(call);
            release(call);
        }
        drainWaiting();
    }

    /** A charged call that never became live is being thrown away. */
    abstract void discarded(Call call);

    /** User-socket mode: abort the calls waiting for accept. */
    void drainWaiting() {}
}
