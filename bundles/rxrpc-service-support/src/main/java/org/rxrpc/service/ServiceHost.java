package org.rxrpc.service;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxMessageTooLongException;
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.security.ServiceSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one Rx service in kernel-service mode, the seed's way: a worker thread of the service's own
 * charges the preallocation, and is woken by every new-call notification to charge again; handler
 * threads run the calls.
 *
 * <p>A call slot per call served at once ({@code maxLiveCalls}): the worker charges only idle slots, with
 * the slot's index as user call ID, so the I/O thread finds the handler to wake by index (no map, no
 * queue, no allocation), and the preallocation is also admission control: when every slot is busy
 * nothing is charged, and a flood of new calls waits and then meets BUSY instead of growing memory.
 * Handler threads start on demand (a slot's first call) and end after a minute without calls.
 */
public final class ServiceHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);
    private static final long WORKER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * While calls come, the worker looks every millisecond by itself rather than being woken per call:
     * on a busy endpoint that is one wake-up per many calls instead of a context switch each (the largest
     * cost of a small call when the worker shares the I/O thread's CPU). It goes back to long sleeps after
     * a second without calls.
     */
    private static final long WORKER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final int WORKER_POLLS_BEFORE_SLEEP = 1000;
    private static final long HANDLER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** An event-loop handler holding the I/O thread longer than this is counted and logged. */
    private static final long SLOW_INLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final long SLOW_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int IDLE = 0;
    private static final int CHARGED = 1;
    /** Live, served by a handler thread. */
    private static final int LIVE = 2;
    /** Live, its request being gathered on the I/O thread (an event-loop handler's call). */
    private static final int GATHERING = 3;

    private static final VarHandle THREAD;

    static {
        try {
            THREAD = MethodHandles.lookup().findVarHandle(Slot.class, "thread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final RxCallHandler handler;
    /** The handler if it serves calls on the I/O thread, else null. */
    private final RxEventLoopHandler inline;

    private final ReceiveNotifier gatherer;
    private final Slot[] slots;
    private final Thread worker;
    private final AtomicInteger liveCalls = new AtomicInteger();
    private final AtomicInteger handlerThreads = new AtomicInteger();
    private final AtomicLong callsServed = new AtomicLong();
    private final AtomicLong callsServedInline = new AtomicLong();
    private final AtomicLong slowInlineCalls = new AtomicLong();
    /** I/O thread only: when a slow event-loop call was last logged. */
    private long slowLoggedAt = System.nanoTime() - SLOW_LOG_INTERVAL_NANOS;

    private final Notifier notifier = new Notifier();
    private final DiscardNotifier discardNotifier = (call, id) -> discarded(id);
    private volatile RxService service;
    /** A service this host listened on itself ({@link #serve}): closed with the host. */
    private volatile RxService owned;

    private volatile boolean running = true;
    /** Set by the worker when every slot was busy: a slot that becomes idle wakes it. */
    private volatile boolean workerOutOfSlots;

    /** New calls seen, written by the I/O thread only: the worker polls while it changes. */
    private volatile long newCalls;

    /** The worker is in (or going into) a long sleep: a new call must wake it. */
    private volatile boolean workerSleeping = true;
    // Worker-private.
    private long lastSeenCalls;
    private int quietPolls = WORKER_POLLS_BEFORE_SLEEP;

    /** The notifier the transport calls: new calls, and the service's start and end. */
    private final class Notifier implements NewCallNotifier {
        @Override
        public void newCall(RxService s, RxCall call, long id) {
            ServiceHost.this.newCall(s, call, id);
        }

        @Override
        public void listening(RxService s) {
            service = s;
            LockSupport.unpark(worker);
        }

        @Override
        public void closed(RxService s) {
            if (service == s) service = null;
        }
    }

    private final class Slot {
        final int index;
        volatile int state = IDLE;
        volatile RxCall call;
        /** Event-loop mode: the request gathered on the I/O thread, and the call that replays it. */
        ByteBuffer request;

        final GatheredCall gathered = new GatheredCall();
        /** The handler thread serves {@link #gathered} rather than the call itself. */
        volatile boolean handedOver;

        @SuppressWarnings("unused") // accessed through THREAD
        volatile Thread thread;

        Slot(int index) {
            this.index = index;
        }

        /** A handler thread: serves the slot's calls; ends after a minute without one. */
        void run() {
            long idleSince = System.nanoTime();
            while (running) {
                if (state == LIVE) {
                    serve(this);
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < HANDLER_IDLE_NANOS) {
                    LockSupport.parkNanos(this, HANDLER_IDLE_NANOS - idle);
                    continue;
                }
                // Leave, unless a call went live meanwhile: the I/O thread sets LIVE and then reads the
                // thread; we clear the thread and then read the state, so one of us sees the other.
                thread = null;
                if (state != LIVE || !THREAD.compareAndSet(this, null, Thread.currentThread())) break;
            }
            handlerThreads.decrementAndGet();
        }
    }

    /**
     * A host not serving yet: give {@link #newCallNotifier()} and {@link #discardNotifier()} to a listen
     * (or register them on the transport's whiteboard); it serves once told the service is listening.
     *
     * @param name names the threads (the worker, and handler threads with a suffix): the bundle's name
     * @param maxLiveCalls calls served at once (at least 1)
     */
    public ServiceHost(String name, int maxLiveCalls, RxCallHandler handler) {
        this(name, maxLiveCalls, handler, true);
    }

    /**
     * @param eventLoop if the handler is an {@link RxEventLoopHandler}: true answers its calls on the I/O
     *     thread, false serves them all on handler threads
     */
    public ServiceHost(String name, int maxLiveCalls, RxCallHandler handler, boolean eventLoop) {
        if (maxLiveCalls < 1) throw new IllegalArgumentException("maxLiveCalls must be at least 1: " + maxLiveCalls);
        this.name = Objects.requireNonNull(name, "name");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.inline = eventLoop && handler instanceof RxEventLoopHandler ? (RxEventLoopHandler) handler : null;
        this.gatherer = inline == null ? null : this::gather;
        this.slots = new Slot[maxLiveCalls];
        for (int i = 0; i < maxLiveCalls; i++) slots[i] = new Slot(i);
        this.worker = new Thread(this::chargeLoop, name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Without OSGi: listens for {@code serviceId} on {@code endpoint} and serves it until {@link #close()}.
     *
     * @param backlog calls preallocated at most, 1..{@link RxEndpoint#MAX_BACKLOG}
     */
    public static ServiceHost serve(
            RxEndpoint endpoint, int serviceId, int backlog, int maxLiveCalls, String name, RxCallHandler handler) {
        return serve(endpoint, serviceId, backlog, maxLiveCalls, name, handler, true);
    }

    /** {@link #serve(RxEndpoint, int, int, int, String, RxCallHandler)}, the event-loop mode chosen. */
    public static ServiceHost serve(
            RxEndpoint endpoint,
            int serviceId,
            int backlog,
            int maxLiveCalls,
            String name,
            RxCallHandler handler,
            boolean eventLoop) {
        return serve(endpoint, serviceId, backlog, ServiceSecurity.NULL_ONLY, maxLiveCalls, name, handler, eventLoop);
    }

    /**
     * {@link #serve(RxEndpoint, int, int, int, String, RxCallHandler, boolean)} for a service accepting the
     * security classes and minimum level of {@code security} (see {@link RxEndpoint#listen(int, int,
     * ServiceSecurity, org.rxrpc.api.NewCallNotifier, org.rxrpc.api.DiscardNotifier)}).
     *
     * @since 1.1
     */
    public static ServiceHost serve(
            RxEndpoint endpoint,
            int serviceId,
            int backlog,
            ServiceSecurity security,
            int maxLiveCalls,
            String name,
            RxCallHandler handler,
            boolean eventLoop) {
        ServiceHost host = new ServiceHost(name, maxLiveCalls, handler, eventLoop);
        try {
            RxService s = endpoint.listen(serviceId, backlog, security, host.newCallNotifier(), host.discardNotifier());
            host.owned = s;
            host.notifier.listening(s);
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** Told on the I/O thread of each charged call made live; also told when the service starts and ends. */
    public NewCallNotifier newCallNotifier() {
        return notifier;
    }

    /** Told of each charged call discarded when the service closes: frees its slot. */
    public DiscardNotifier discardNotifier() {
        return discardNotifier;
    }

    /** The service being served, or null when none is listening. */
    public RxService service() {
        return service;
    }

    public long callsServed() {
        return callsServed.get();
    }

    /** Of {@link #callsServed()}, those an {@link RxEventLoopHandler} served on the I/O thread. */
    public long callsServedInline() {
        return callsServedInline.get();
    }

    /** Event-loop calls that held the I/O thread over a millisecond. */
    public long slowInlineCalls() {
        return slowInlineCalls.get();
    }

    public int liveCalls() {
        return liveCalls.get();
    }

    /** Handler threads alive now (started on demand, ended after a minute without calls). */
    public int handlerThreads() {
        return handlerThreads.get();
    }

    /** On the I/O thread: no allocation, no lock. */
    private void newCall(RxService s, RxCall call, long id) {
        Slot slot = slots[(int) id];
        if (inline != null) {
            // The request may have been gathered and answered already (its first packet came first).
            startGathering(slot, call);
        } else {
            liveCalls.incrementAndGet();
            slot.state = LIVE;
            Thread t = slot.thread;
            if (t != null) LockSupport.unpark(t);
            else LockSupport.unpark(worker); // starts a handler thread for the slot
        }
        newCalls = newCalls + 1; // single writer
        // The worker polls while calls come; it is woken only when it may be asleep (the first call after
        // a quiet while) or the backlog runs low.
        if (workerSleeping || s.chargedCalls() <= s.backlog() / 4) LockSupport.unpark(worker);
    }

    /** I/O thread: a charged slot's call went live (told by its first data or by the new-call notice). */
    private void startGathering(Slot slot, RxCall call) {
        if (slot.state != CHARGED || slot.call != call) return;
        slot.state = GATHERING;
        liveCalls.incrementAndGet();
        slot.request.clear();
    }

    /**
     * I/O thread, an event-loop handler's call has data (or ended): reads what arrived into the slot's
     * buffer without waiting; once the request is whole, the handler answers it here. A request longer
     * than the buffer, or one the handler declines, goes to a handler thread with what was read.
     */
    private void gather(RxCall call, long id) {
        Slot slot = slots[(int) id];
        startGathering(slot, call);
        if (slot.state != GATHERING || slot.call != call) return; // a handler thread has it, or it is done
        ByteBuffer request = slot.request;
        try {
            while (true) {
                if (!request.hasRemaining()) {
                    handOver(slot, false);
                    return;
                }
                int n = call.receive(request, 0, TimeUnit.NANOSECONDS);
                if (n == 0) return; // more to come
                if (n < 0) break;
            }
        } catch (RxCallAbortedException | InterruptedException e) {
            endInline(slot, false);
            return;
        }
        request.flip();
        boolean replied;
        long start = System.nanoTime();
        try {
            replied = inline.onRequest(call, request);
        } catch (RxAbortException e) {
            call.abort(e.abortCode());
            replied = true;
        } catch (RxCallAbortedException e) {
            replied = true;
        } catch (Exception e) {
            LOG.warn("{}: the handler failed on {}", name, call, e);
            call.abort(AbortCodes.RX_USER_ABORT);
            replied = true;
        }
        long spent = System.nanoTime() - start;
        if (spent > SLOW_INLINE_NANOS) slowInline(spent);
        if (replied) {
            endInline(slot, true);
        } else {
            request.rewind();
            handOver(slot, true);
        }
    }

    /** I/O thread: the call goes to a handler thread, reading {@code slot.request} first. */
    private void handOver(Slot slot, boolean wholeRequest) {
        if (!wholeRequest) slot.request.flip();
        slot.gathered.reset(slot.call, slot.request, wholeRequest);
        slot.handedOver = true;
        slot.state = LIVE;
        Thread t = slot.thread;
        if (t != null) LockSupport.unpark(t);
        else LockSupport.unpark(worker); // starts a handler thread for the slot
    }

    /** I/O thread: an event-loop call is answered (or ended): close it and free the slot. */
    private void endInline(Slot slot, boolean served) {
        RxCall call = slot.call;
        call.close();
        if (served) {
            callsServed.incrementAndGet();
            callsServedInline.incrementAndGet();
        }
        slot.call = null;
        slot.state = IDLE;
        liveCalls.decrementAndGet();
        if (workerOutOfSlots) LockSupport.unpark(worker);
    }

    private void slowInline(long spentNanos) {
        slowInlineCalls.incrementAndGet();
        long now = System.nanoTime();
        if (now - slowLoggedAt < SLOW_LOG_INTERVAL_NANOS) return;
        slowLoggedAt = now;
        LOG.warn(
                "{}: an event-loop call held the I/O thread for {} us (every call of the endpoint waited);"
                        + " {} such calls so far: a handler that blocks should not implement RxEventLoopHandler",
                name,
                spentNanos / 1000,
                slowInlineCalls.get());
    }

    private void discarded(long id) {
        Slot slot = slots[(int) id];
        slot.call = null;
        slot.state = IDLE;
        // While the service lives (a call whose client failed its handshake, or charged before the service's
        // security classes changed), the worker charges the slot again at once: a first packet may wait for it.
        if (running) LockSupport.unpark(worker);
    }

    /** The worker: charges idle slots while the backlog has room; starts handler threads for live calls. */
    private void chargeLoop() {
        while (running) {
            startHandlers();
            RxService s = service;
            boolean backlogFull = false;
            if (s != null) {
                try {
                    backlogFull = charge(s);
                } catch (ServiceClosedException e) {
                    if (service == s) service = null; // closed: wait to be told of the next one
                }
            }
            // Not full: every slot is live or charged, so the service is at capacity for now.
            workerOutOfSlots = s != null && !backlogFull;
            long seen = newCalls;
            quietPolls = seen != lastSeenCalls ? 0 : quietPolls + 1;
            lastSeenCalls = seen;
            if (quietPolls < WORKER_POLLS_BEFORE_SLEEP) {
                LockSupport.parkNanos(this, WORKER_POLL_NANOS);
            } else {
                workerSleeping = true;
                if (newCalls == seen) LockSupport.parkNanos(this, WORKER_PARK_NANOS); // a call meanwhile: go on
                workerSleeping = false;
            }
        }
    }

    /** @return true if the backlog is full (else every slot is in use) */
    private boolean charge(RxService s) {
        for (Slot slot : slots) {
            if (!running) return true;
            if (s.chargedCalls() >= s.backlog()) return true;
            if (slot.state != IDLE) continue;
            if (inline != null && slot.request == null) {
                slot.request = ByteBuffer.allocate(inline.maxInlineRequestBytes()); // once, off the I/O thread
            }
            slot.state = CHARGED;
            try {
                s.charge(slot.index, (call, id) -> slot.call = call, gatherer);
            } catch (BacklogFullException e) {
                slot.state = IDLE;
                return true;
            } catch (CallIdInUseException e) {
                slot.state = IDLE; // its discarded call not yet released: charged again on the next round
            } catch (RuntimeException e) {
                slot.state = IDLE;
                throw e;
            }
        }
        return false;
    }

    private void startHandlers() {
        for (Slot slot : slots) {
            if (slot.state != LIVE || slot.thread != null) continue;
            Thread t = new Thread(slot::run, name + "-call-" + slot.index);
            t.setDaemon(true);
            if (THREAD.compareAndSet(slot, null, t)) {
                handlerThreads.incrementAndGet();
                t.start();
            }
        }
    }

    private void serve(Slot slot) {
        RxCall call = slot.handedOver ? slot.gathered : slot.call;
        try {
            handler.handle(call);
            callsServed.incrementAndGet();
        } catch (RxAbortException e) {
            call.abort(e.abortCode());
        } catch (RxCallAbortedException | RxMessageTooLongException e) {
            LOG.debug("{}: call ended: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            call.abort(AbortCodes.RX_RESTARTING); // the host is closing
        } catch (Exception e) {
            LOG.warn("{}: the handler failed on {}", name, call, e);
            call.abort(AbortCodes.RX_USER_ABORT);
        } finally {
            call.close();
            slot.gathered.clear();
            slot.handedOver = false;
            slot.call = null;
            slot.state = IDLE;
            liveCalls.decrementAndGet();
            if (workerOutOfSlots) LockSupport.unpark(worker);
        }
    }

    /**
     * Stops serving: closes the service if this host listened on it (each charged call goes to the
     * discard notifier once), then ends the worker and the handler threads. On the whiteboard, the
     * transport closes the service when the notifiers go; close the host after that.
     */
    @Override
    public void close() {
        RxService s = owned;
        if (s != null) s.close();
        running = false;
        LockSupport.unpark(worker);
        for (Slot slot : slots) {
            Thread t = slot.thread;
            if (t != null) t.interrupt();
        }
        try {
            worker.join(5000);
            for (Slot slot : slots) {
                Thread t = slot.thread;
                if (t != null) t.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
