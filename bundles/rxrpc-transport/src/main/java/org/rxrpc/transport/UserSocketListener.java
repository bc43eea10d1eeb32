package org.rxrpc.transport;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxUserService;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.transport.util.MpmcRing;

/**
 * User-socket mode: listen charges anonymous calls; accept and reject each take the oldest waiting call
 * and recharge one. Manual charges (RXRPC_CHARGE_ACCEPT) carry their ID and skip accept.
 */
final class UserSocketListener extends Listener implements RxUserService {
    private final MpmcRing<Call> awaitingAccept = new MpmcRing<>(Backlog.MAX);
    private final Semaphore awaitingAcceptCount = new Semaphore(0);
    private final MpmcRing<Call> chargedLive = new MpmcRing<>(Backlog.MAX);
    private final Semaphore chargedLiveCount = new Semaphore(0);

    private final boolean recharges;
    /**
     * Anonymous calls the I/O thread discarded while the service lives (a held call whose client failed its
     * security handshake): their places in the backlog are charged again by the next accept or reject (the
     * I/O thread allocates nothing, so it cannot charge), woken for it by a permit without a call.
     */
    private final AtomicInteger owedRecharges = new AtomicInteger();

    UserSocketListener(
            Endpoint endpoint, int serviceId, int backlog, ServiceSecurity security, boolean chargeOnListen) {
        super(endpoint, serviceId, backlog, security);
        this.recharges = chargeOnListen;
    }

    /** Fills the backlog with anonymous calls, before the service becomes visible (as Linux's listen). */
    void chargeInitially() {
        for (int i = 0; i < backlogMax; i++) {
            Accept.charge(this, -1, null, null);
        }
    }

    @Override
    public int serviceId() {
        return serviceId;
    }

    @Override
    public int backlog() {
        return backlogMax;
    }

    @Override
    public int pendingCalls() {
        return awaitingAccept.size();
    }

    @Override
    int waitingCalls() {
        return awaitingAccept.size() + chargedLive.size();
    }

    @Override
    void callMadeLive(Call call) {
        if (call.userCallId == -1) {
            awaitingAccept.offer(call);
            awaitingAcceptCount.release();
        } else {
            chargedLive.offer(call);
            chargedLiveCount.release();
        }
    }

    @Override
    public RxCall accept(long userCallId, ReceiveNotifier notifyRx, long timeout, TimeUnit unit)
            throws InterruptedException {
        if (isClosed()) throw new ServiceClosedException("service " + serviceId);
        if (userCallId == -1) throw new IllegalArgumentException("user call ID -1 is reserved");
        if (!reserveId(userCallId)) throw new CallIdInUseException(userCallId);
        payOwedRecharges();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        Call call;
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!awaitingAcceptCount.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                freeId(userCallId);
                if (isClosed()) throw new ServiceClosedException("service " + serviceId);
                return null;
            }
            call = awaitingAccept.poll();
            if (call != null) break;
            if (isClosed()) { // taken by close()
                freeId(userCallId);
                throw new ServiceClosedException("service " + serviceId);
            }
            payOwedRecharges(); // woken by a discard, not a call
        }
        call.notifyRx = notifyRx;
        call.userCallId = userCallId;
        recharge();
        if (notifyRx != null) notifyRx.dataReady(call, userCallId);
        return call;
    }

    @Override
    public boolean reject(int abortCode) {
        if (isClosed()) throw new ServiceClosedException("service " + serviceId);
        payOwedRecharges();
        if (!awaitingAcceptCount.tryAcquire()) return false;
        Call call = awaitingAccept.poll();
        if (call == null) {
            payOwedRecharges(); // the permit was a discard's
            return false;
        }
        call.abort(abortCode == 0 ? AbortCodes.RX_USER_ABORT : abortCode);
        recharge();
        return true;
    }

    private void payOwedRecharges() {
        for (int owed = owedRecharges.get(); owed > 0; owed = owedRecharges.get()) {
            if (owedRecharges.compareAndSet(owed, owed - 1)) recharge();
        }
    }

    private void recharge() {
        if (!recharges) return;
        try {
            Accept.charge(this, -1, null, null);
        } catch (BacklogFullException | ServiceClosedException e) {
            // Manual charges filled the backlog, or we are closing: nothing to recharge.
        }
    }

    @Override
    public void chargeAccept(long userCallId, ReceiveNotifier notifyRx) {
        if (userCallId == -1) throw new IllegalArgumentException("user call ID -1 is reserved");
        Accept.charge(this, userCallId, notifyRx, null);
    }

    @Override
    public RxCall nextChargedCall(long timeout, TimeUnit unit) throws InterruptedException {
        if (!chargedLiveCount.tryAcquire(timeout, unit)) {
            if (isClosed()) throw new ServiceClosedException("service " + serviceId);
            return null;
        }
        Call call = chargedLive.poll();
        if (call == null) throw new ServiceClosedException("service " + serviceId);
        return call;
    }

    @Override
    void discarded(Call call) {
        // User-socket calls have no discard notifier: their IDs are simply released. An anonymous one the I/O
        // thread gave up on while the service lives is owed a recharge, paid by the acceptor it wakes.
        if (recharges && call.userCallId == -1 && !isClosed()) {
            owedRecharges.incrementAndGet();
            awaitingAcceptCount.release();
        }
    }

    @Override
    void drainWaiting() {
        Call call;
        while ((call = awaitingAccept.poll()) != null) call.close();
        while ((call = chargedLive.poll()) != null) call.close();
        // Wake blocked acceptors; they find the rings empty and report the closed service.
        awaitingAcceptCount.release(1024);
        chargedLiveCount.release(1024);
    }
}
