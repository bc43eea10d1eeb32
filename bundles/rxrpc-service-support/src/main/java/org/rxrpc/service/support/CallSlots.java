package org.rxrpc.service.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel-service pattern every service bundle uses: one worker thread charges the preallocation
 * with idle handler slots (the user call ID is the slot index, so the I/O thread finds the handler to
 * wake without a map or a queue, and allocates nothing) and is woken by every new-call notification; a
 * fixed set of handler threads serves the calls. The worker charges only while a handler is free, so
 * the preallocation is also admission control.
 *
 * @param <S> per-handler scratch state (buffers), made once per handler thread
 */
public final class CallSlots<S> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CallSlots.class);
    private static final int IDLE = 0;
    private static final int CHARGED = 1;
    private static final int LIVE = 2;

    /** Serves one call on a handler thread; the call is closed afterwards. */
    @FunctionalInterface
    public interface Handler<S> {
        void serve(RxCall call, S scratch) throws InterruptedException;
    }

    private final String name;
    private final Handler<S> handler;
    private final Supplier<S> scratch;
    private final Slot[] slots;
    private final Thread worker;
    private final AtomicInteger liveCalls = new AtomicInteger();
    private final AtomicLong callsServed = new AtomicLong();
    private final NewCallNotifier newCallNotifier = (svc, call, id) -> newCall(id);
    private final DiscardNotifier discardNotifier = (call, id) -> discarded(id);
    private volatile RxService service;
    private volatile boolean running = true;
    /** Set by the worker when every handler was busy: a handler that becomes idle wakes it. */
    private volatile boolean workerOutOfSlots;

    private final class Slot implements Runnable {
        final int index;
        final Thread thread;
        volatile int state = IDLE;
        volatile RxCall call;

        Slot(int index) {
            this.index = index;
            this.thread = new Thread(this, name + "-call-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            S state = scratch.get();
            while (running) {
                if (this.state != LIVE) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(500));
                    continue;
                }
                RxCall c = call;
                try {
                    handler.serve(c, state);
                    callsServed.incrementAndGet();
                } catch (RxCallAbortedException e) {
                    LOG.debug("{} call ended: {}", name, e.getMessage());
                } catch (InterruptedException e) {
                    c.abort(AbortCodes.RX_CALL_DEAD);
                } catch (RuntimeException e) {
                    LOG.warn("{} call failed", name, e);
                    c.abort(AbortCodes.RXGEN_SS_MARSHAL);
                } finally {
                    c.close();
                    call = null;
                    this.state = IDLE;
                    liveCalls.decrementAndGet();
                    if (workerOutOfSlots) LockSupport.unpark(worker);
                }
            }
        }
    }

    /**
     * @param name the worker thread's name (handler threads get it with a suffix): name it after the bundle
     * @param maxLiveCalls calls served at once (one handler thread each)
     */
    public CallSlots(String name, int maxLiveCalls, Supplier<S> scratch, Handler<S> handler) {
        if (maxLiveCalls < 1) throw new IllegalArgumentException("maxLiveCalls must be at least 1");
        this.name = name;
        this.scratch = scratch;
        this.handler = handler;
        this.slots = new CallSlots.Slot[maxLiveCalls];
        for (int i = 0; i < maxLiveCalls; i++) slots[i] = new Slot(i);
        this.worker = new Thread(this::chargeLoop, name);
        this.worker.setDaemon(true);
    }

    /** Told on the I/O thread of each charged call made live: wakes its handler and the worker. */
    public NewCallNotifier newCallNotifier() {
        return newCallNotifier;
    }

    /** Told of each charged call discarded when the service closes: frees its handler slot. */
    public DiscardNotifier discardNotifier() {
        return discardNotifier;
    }

    /** Starts serving {@code listened}, a service listened with these notifiers. */
    public void start(RxService listened) {
        if (service != null) throw new IllegalStateException("already started");
        service = listened;
        for (Slot slot : slots) slot.thread.start();
        worker.start();
    }

    public RxService service() {
        return service;
    }

    public long callsServed() {
        return callsServed.get();
    }

    public int liveCalls() {
        return liveCalls.get();
    }

    /** On the I/O thread: no allocation, no lock. */
    private void newCall(long id) {
        Slot slot = slots[(int) id];
        liveCalls.incrementAndGet();
        slot.state = LIVE;
        LockSupport.unpark(slot.thread);
        LockSupport.unpark(worker);
    }

    private void discarded(long id) {
        Slot slot = slots[(int) id];
        slot.call = null;
        slot.state = IDLE;
    }

    /** Charges idle handlers' slots until the backlog is full or every handler is busy. */
    private void chargeLoop() {
        while (running) {
            boolean backlogFull = false;
            try {
                for (Slot slot : slots) {
                    if (!running) break;
                    if (service.chargedCalls() >= service.backlog()) {
                        backlogFull = true;
                        break;
                    }
                    if (slot.state != IDLE) continue;
                    slot.state = CHARGED;
                    try {
                        service.charge(slot.index, (call, id) -> slot.call = call, null);
                    } catch (BacklogFullException e) {
                        slot.state = IDLE;
                        backlogFull = true;
                        break;
                    }
                }
            } catch (ServiceClosedException e) {
                return;
            }
            // Not full: every handler is busy or charged, so the service is at capacity for now.
            workerOutOfSlots = !backlogFull;
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    /** Stops listening (the discard notifier sees every charged call), then ends the threads. */
    @Override
    public void close() {
        running = false;
        if (service == null) return;
        service.close();
        LockSupport.unpark(worker);
        for (Slot slot : slots) slot.thread.interrupt();
        try {
            worker.join(5000);
            for (Slot slot : slots) slot.thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
