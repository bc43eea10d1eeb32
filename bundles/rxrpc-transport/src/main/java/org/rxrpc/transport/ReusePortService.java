package org.rxrpc.transport;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AttachCallback;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxService;
import org.rxrpc.security.ServiceSecurity;

/**
 * A service listened on every socket of a {@link ReusePortEndpoint}: one listener per I/O thread, each with
 * the whole backlog as its limit, while the calls charged over all of them stay within the backlog. A
 * charge goes where a kept first packet waits for one, else to the listener with the fewest charged, so
 * the busier I/O thread is recharged first. The owner sees one service: its new-call notifier is told of
 * this one (from any of the I/O threads), and the backlog it charges against is the sum.
 */
final class ReusePortService implements RxService {
    private final int serviceId;
    private final int backlog;
    private final KernelServiceListener[] parts;

    ReusePortService(
            Endpoint[] shards,
            int serviceId,
            int backlog,
            ServiceSecurity security,
            NewCallNotifier newCall,
            DiscardNotifier discard) {
        Objects.requireNonNull(newCall, "new-call notifier");
        this.serviceId = serviceId;
        this.backlog = backlog;
        // Made once here: the I/O threads call it per new call without allocating.
        NewCallNotifier toOwner = (s, call, id) -> newCall.newCall(this, call, id);
        parts = new KernelServiceListener[shards.length];
        try {
            for (int i = 0; i < shards.length; i++) {
                parts[i] = (KernelServiceListener) shards[i].listen(serviceId, backlog, security, toOwner, discard);
            }
        } catch (RuntimeException e) {
            for (KernelServiceListener p : parts) if (p != null) p.close();
            throw e;
        }
    }

    /** Every I/O thread's listener follows the change. */
    @Override
    public void changeSecurity(ServiceSecurity security) {
        for (KernelServiceListener p : parts) p.changeSecurity(security);
    }

    @Override
    public int serviceId() {
        return serviceId;
    }

    @Override
    public int backlog() {
        return backlog;
    }

    @Override
    public int chargedCalls() {
        int n = 0;
        for (KernelServiceListener p : parts) n += p.chargedCalls();
        return n;
    }

    @Override
    public void charge(long userCallId, AttachCallback attach, ReceiveNotifier notifyRx) {
        if (chargedCalls() >= backlog) throw new BacklogFullException(serviceId, backlog);
        KernelServiceListener target = null;
        for (KernelServiceListener p : parts) {
            if (p.deferred != null && p.deferred.anyWaiting()) {
                target = p;
                break;
            }
            if (target == null || p.chargedCalls() < target.chargedCalls()) target = p;
        }
        target.charge(userCallId, attach, notifyRx);
    }

    @Override
    public void close() {
        for (KernelServiceListener p : parts) p.close();
    }

    @Override
    public boolean close(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        boolean all = true;
        for (KernelServiceListener p : parts) {
            all &= p.close(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        return all;
    }

    /** Per I/O thread, for inspection and tests. */
    KernelServiceListener part(int i) {
        return parts[i];
    }
}
