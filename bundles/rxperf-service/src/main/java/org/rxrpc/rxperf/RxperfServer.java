package org.rxrpc.rxperf;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceClosedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rxperf server as Linux's net/rxrpc/rxperf.c serves it, in kernel-service mode: one worker thread
 * charges the preallocation while the service has room for more live calls and is woken by every
 * new-call notification; a fixed set of handler threads runs the calls. The I/O thread only hands the
 * new call over (no allocation) and unparks.
 */
public final class RxperfServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RxperfServer.class);
    private static final int CHUNK = 64 * 1024;
    private static final long READ_WAIT_SECONDS = 3600;

    private volatile RxService service;
    private final NewCallNotifier newCallNotifier = (svc, call, id) -> newCall(id);
    private final DiscardNotifier discardNotifier = (call, id) -> discarded(id);
    private final boolean verify;
    private final AtomicInteger liveCalls = new AtomicInteger();
    private final AtomicLong callsServed = new AtomicLong();
    private final Slot[] slots;
    private final Thread worker;
    private volatile boolean running = true;
    /** Set by the worker when every handler was busy: a handler that becomes idle wakes it. */
    private volatile boolean workerOutOfSlots;

    /**
     * One handler thread and the call it serves. The user call ID of a charge is the slot index, so the
     * I/O thread finds the handler to unpark without a map or a queue.
     */
    private final class Slot implements Runnable {
        static final int IDLE = 0;
        static final int CHARGED = 1;
        static final int LIVE = 2;

        final int index;
        final Thread thread;
        volatile int state = IDLE;
        volatile RxCall call;

        Slot(int index, String name) {
            this.index = index;
            this.thread = new Thread(this, name + "-call-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK);
            while (running) {
                if (state != LIVE) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(500));
                    continue;
                }
                RxCall c = call;
                try {
                    serve(c, buf);
                    callsServed.incrementAndGet();
                } catch (RxCallAbortedException e) {
                    LOG.debug("rxperf call ended: {}", e.getMessage());
                } catch (InterruptedException e) {
                    c.abort(AbortCodes.RX_CALL_DEAD);
                } catch (RuntimeException e) {
                    LOG.warn("rxperf call failed", e);
                    c.abort(AbortCodes.RXGEN_SS_MARSHAL);
                } finally {
                    c.close();
                    call = null;
                    state = IDLE;
                    liveCalls.decrementAndGet();
                    if (workerOutOfSlots) LockSupport.unpark(worker);
                }
            }
        }
    }

    /**
     * A server not yet listening: register {@link #newCallNotifier()} and {@link #discardNotifier()}
     * (directly with {@link RxEndpoint#listen}, or as whiteboard services), then {@link #start} it.
     *
     * @param name the worker thread's name (the handler threads get it with a suffix)
     * @param maxLiveCalls calls served at once (one handler thread each); the worker charges only idle
     *     handlers, so beyond this many clients wait (and finally meet BUSY) until a call ends
     * @param verify check every request byte against the payload pattern (abort 1000 on a mismatch)
     */
    public RxperfServer(String name, int maxLiveCalls, boolean verify) {
        if (maxLiveCalls < 1) throw new IllegalArgumentException("maxLiveCalls must be at least 1");
        this.verify = verify;
        this.slots = new Slot[maxLiveCalls];
        for (int i = 0; i < maxLiveCalls; i++) slots[i] = new Slot(i, name);
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

    /** Starts serving {@code listened}, a service listened with this server's notifiers. */
    public void start(RxService listened) {
        if (service != null) throw new IllegalStateException("already started");
        service = listened;
        for (Slot slot : slots) slot.thread.start();
        worker.start();
    }

    /**
     * Listens for rxperf (service 147) on {@code endpoint} and starts serving.
     *
     * @param backlog calls preallocated at most (1..32)
     */
    public static RxperfServer start(RxEndpoint endpoint, int backlog, int maxLiveCalls, boolean verify) {
        RxperfServer server = new RxperfServer("rxperf-worker", maxLiveCalls, verify);
        server.start(endpoint.listen(Rxperf.SERVICE_ID, backlog, server.newCallNotifier(), server.discardNotifier()));
        return server;
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

    /** On the I/O thread: wake the call's handler and the charging worker. No allocation. */
    private void newCall(long id) {
        Slot slot = slots[(int) id];
        liveCalls.incrementAndGet();
        slot.state = Slot.LIVE;
        LockSupport.unpark(slot.thread);
        LockSupport.unpark(worker);
    }

    private void discarded(long id) {
        Slot slot = slots[(int) id];
        slot.call = null;
        slot.state = Slot.IDLE;
    }

    /** Charges an idle handler's slot until the backlog is full or every handler is busy. */
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
                    if (slot.state != Slot.IDLE) continue;
                    slot.state = Slot.CHARGED;
                    try {
                        service.charge(slot.index, (call, id) -> slot.call = call, null);
                    } catch (BacklogFullException e) {
                        slot.state = Slot.IDLE;
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

    private void serve(RxCall call, ByteBuffer buf) throws InterruptedException {
        buf.clear().limit(16);
        if (!readFully(call, buf)) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return;
        }
        int version = buf.getInt(0);
        int op = buf.getInt(4);
        if (version != Rxperf.VERSION) {
            call.abort(AbortCodes.RX_USER_ABORT);
            return;
        }
        long requestBytes;
        long replyBytes;
        buf.clear().limit(op == Rxperf.OP_RPC ? 8 : 4);
        if (op != Rxperf.OP_SEND && op != Rxperf.OP_RECV && op != Rxperf.OP_RPC) {
            call.abort(AbortCodes.RXGEN_OPCODE);
            return;
        }
        if (!readFully(call, buf)) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return;
        }
        if (op == Rxperf.OP_SEND) {
            requestBytes = buf.getInt(0) & 0xFFFFFFFFL;
            replyBytes = 0;
        } else if (op == Rxperf.OP_RECV) {
            requestBytes = 0;
            replyBytes = buf.getInt(0) & 0xFFFFFFFFL;
        } else {
            requestBytes = buf.getInt(0) & 0xFFFFFFFFL;
            replyBytes = buf.getInt(4) & 0xFFFFFFFFL;
        }
        long offset = 0;
        while (offset < requestBytes) {
            buf.clear().limit((int) Math.min(CHUNK, requestBytes - offset));
            int n = call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS);
            if (n < 0) {
                call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
                return;
            }
            if (verify && Rxperf.checkPattern(buf.array(), 0, n, offset) >= 0) {
                call.abort(Rxperf.ABORT_BAD_PAYLOAD);
                return;
            }
            offset += n;
        }
        buf.clear().limit(1);
        if (call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS) != -1) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL); // more request bytes than announced
            return;
        }
        offset = 0;
        while (offset < replyBytes) {
            int n = (int) Math.min(CHUNK, replyBytes - offset);
            buf.clear();
            Rxperf.fillPattern(buf.array(), 0, n, offset);
            buf.limit(n);
            call.send(buf, false);
            offset += n;
        }
        buf.clear().putInt(Rxperf.COOKIE).flip();
        call.send(buf, true); // close() then leaves the transport to collect the final ACK
    }

    /** Fills {@code buf} up to its limit; false if the message ended first. */
    private static boolean readFully(RxCall call, ByteBuffer buf) throws InterruptedException {
        while (buf.hasRemaining()) {
            if (call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS) < 0) return false;
        }
        return true;
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
