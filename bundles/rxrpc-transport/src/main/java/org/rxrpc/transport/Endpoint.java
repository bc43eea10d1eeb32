package org.rxrpc.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.RxUserService;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.transport.io.DatagramIo;
import org.rxrpc.transport.io.ReceiveBatch;
import org.rxrpc.transport.io.Sockets;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.util.IntrusiveMpscQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket and the I/O thread that owns all of its protocol state: peers, connections, calls and
 * timers. Other threads reach it through two queues (calls wanting attention, and commands) and a
 * socket wake-up (net/rxrpc/io_thread.c; Aeron's agents).
 */
final class Endpoint implements RxEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    private static final int RECEIVE_BATCH = 32;
    private static final int AWAIT_APPLICATION_YIELDS = 8;
    private static final long REAP_INTERVAL_NANOS = 1_000_000_000L;
    private static final long ORPHAN_CHECK_NANOS = 20_000_000L;
    /** How long an endpoint opened for a service answers BUSY for services not listened on yet. */
    private static final long JUST_OPENED_NANOS = 1_000_000_000L;

    final EndpointOptions options;
    final PacketPool pool;
    private final DatagramIo socket;
    private final Thread ioThread;
    private final InetSocketAddress localAddress;
    private final Counters counters = new Counters();
    private final Output output;
    private final Transmitter transmitter;
    private final CallEvents events;
    private final Accept accept;
    private final Handshakes handshakes;
    private final Input input;
    private final DebugReplies debugReplies;
    private final ReceiveBatch received = new ReceiveBatch(RECEIVE_BATCH);
    /** Calls wanting the I/O thread's attention (each at most once: Call.requestIo); allocates nothing. */
    private final IntrusiveMpscQueue<Call> callQueue = new IntrusiveMpscQueue<>();

    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Object orphanLock = new Object();
    private volatile boolean sleeping;
    /** Set by a charge that a kept first packet is waiting for (Accept.charge). */
    private volatile boolean replayWanted;

    private final long openedNanos = System.nanoTime();
    private volatile boolean listenedOn;
    private volatile boolean awaitingFirstService;
    private volatile boolean running = true;
    private volatile boolean closed;

    // ---- I/O thread state ----
    private final Tables tables;
    private final ListenerTable listeners = new ListenerTable();
    private final LiveCalls live;
    /** The earliest wake-up asked for by what is not a call timer (kept packets, drains), or 0. */
    private long nextTimer;

    private long nextReap;
    /** Set when this loop iteration woke an application thread (new call or data to read). */
    private boolean handedToApplication;

    /** Set when a service's backlog ran low in this iteration (see backlogLow). */
    private boolean backlogLow;

    Endpoint(EndpointOptions options) {
        this(options, -1);
    }

    /**
     * @param shard this endpoint's index among the sockets of a {@link ReusePortEndpoint} sharing the port
     *     (SO_REUSEPORT), or -1 for an endpoint of its own
     */
    Endpoint(EndpointOptions options, int shard) {
        this.options = Objects.requireNonNull(options, "options");
        SecureRandom random = new SecureRandom();
        // Bit 31 set: identify connections by epoch and cid only (OpenAFS and Linux both set it).
        int epoch = (random.nextInt() | 0x80000000) & ~0x40000000;
        tables = new Tables(
                counters,
                options.maxPeers(),
                options.maxConnections(),
                options.connectionIdleMillis(),
                epoch,
                1 + random.nextInt(0x3FFFFFFE));
        pool = new PacketPool(options.packetBuffers());
        live = new LiveCalls(System.nanoTime());
        socket = Sockets.open(
                options.bindAddress(), options.port(), options.socketBufferBytes(), options.nativeIo(), shard >= 0);
        localAddress = socket.localAddress();
        output = new Output(socket, counters, options.receiveWindow());
        PacketSecurity packetSecurity = new PacketSecurity(counters);
        transmitter = new Transmitter(output, counters, options.sendWindow(), packetSecurity);
        Receiver receiver = new Receiver(pool, counters, options.receiveWindow());
        events = new CallEvents(
                this, tables, output, transmitter, counters, options.deadTimeMillis(), options.idleTimeoutMillis());
        handshakes = new Handshakes(this, counters, output, pool);
        accept = new Accept(this, tables, counters, output, events, handshakes);
        input = new Input(
                this,
                counters,
                output,
                receiver,
                transmitter,
                events,
                tables,
                accept,
                handshakes,
                new ChallengeAnswers(counters, output, events),
                packetSecurity);
        accept.bind(input);
        handshakes.bind(input);
        debugReplies = new DebugReplies(counters, tables, live, pool, options.packetBuffers());
        ioThread = new Thread(this::run, "rx-io-" + localAddress.getPort() + (shard >= 0 ? "-" + shard : ""));
        ioThread.setDaemon(true);
        ioThread.start();
        LOG.info(
                "Rx endpoint on {} ({} socket, receive buffer {} bytes)",
                localAddress,
                socket.kind(),
                socket.receiveBufferSize());
    }

    // ---- RxEndpoint ----

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public RxService listen(
            int serviceId, int backlog, ServiceSecurity security, NewCallNotifier newCall, DiscardNotifier discard) {
        Objects.requireNonNull(security, "security");
        KernelServiceListener l = new KernelServiceListener(this, serviceId, backlog, security, newCall, discard);
        register(l);
        return l;
    }

    @Override
    public RxUserService listenUser(int serviceId, int backlog, ServiceSecurity security, boolean chargeOnListen) {
        Objects.requireNonNull(security, "security");
        UserSocketListener l = new UserSocketListener(this, serviceId, backlog, security, chargeOnListen);
        // As Linux's listen: charged first, visible to incoming calls only then.
        if (chargeOnListen) l.chargeInitially();
        try {
            register(l);
        } catch (RuntimeException e) {
            Accept.discardAll(l);
            throw e;
        }
        return l;
    }

    @Override
    public RxCall newCall(InetSocketAddress server, int serviceId, CallOptions callOptions, ReceiveNotifier notifyRx) {
        Objects.requireNonNull(server, "server");
        if (serviceId < 1 || serviceId > 65535)
            throw new IllegalArgumentException("serviceId must be 1..65535: " + serviceId);
        if (server.isUnresolved()) throw new IllegalArgumentException("unresolved address: " + server);
        if (closed) throw new IllegalStateException("endpoint " + localAddress + " is closed");
        Call call = new Call(this, true, serviceId, null, callOptions == null ? CallOptions.DEFAULT : callOptions);
        int[] layout = PacketSecurity.clientLayout(call.options.security());
        call.txDataOffset = layout[0];
        call.txMaxData = layout[1];
        call.peerAddress = server;
        call.notifyRx = notifyRx;
        call.requestIo();
        return call;
    }

    @Override
    public byte[] call(InetSocketAddress server, int serviceId, byte[] request, int maxReplyBytes, CallOptions options)
            throws InterruptedException {
        CallOptions o = options == null ? CallOptions.DEFAULT : options;
        RxCall call = newCall(server, serviceId, o, null);
        try {
            call.send(request, 0, request.length, true);
            // The deadline (or the dead time) ends the call; this wait only has to outlast it.
            long waitMillis = o.hardTimeoutMillis() > 0 ? o.hardTimeoutMillis() + 1000 : TimeUnit.DAYS.toMillis(365);
            return call.receiveMessage(maxReplyBytes, waitMillis, TimeUnit.MILLISECONDS);
        } finally {
            call.close();
        }
    }

    @Override
    public RxStats stats() {
        long allocated = ioThreadAllocatedBytes();
        if (!ioThread.isAlive()) return counters.snapshot(allocated);
        CompletableFuture<RxStats> f = new CompletableFuture<>();
        submit(() -> f.complete(counters.snapshot(allocated)));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return counters.snapshot(allocated); // the I/O thread is gone or stuck: a best-effort copy
        }
    }

    @Override
    public EndpointSnapshot snapshot(int maxEntries) {
        long allocated = ioThreadAllocatedBytes();
        if (ioThread.isAlive()) {
            CompletableFuture<EndpointSnapshot> f = new CompletableFuture<>();
            submit(() -> f.complete(Inspection.take(
                    localAddress,
                    socket.kind(),
                    options,
                    counters.snapshot(allocated),
                    listeners.all(),
                    live,
                    tables,
                    pool.available(),
                    maxEntries,
                    System.nanoTime())));
            try {
                return f.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone or stuck: what can be read from here
            }
        }
        return Inspection.withoutIoThread(
                localAddress, socket.kind(), options, counters.snapshot(allocated), pool.available());
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        List<Listener> open = listeners.copy();
        long waitNanos = TimeUnit.SECONDS.toNanos(Listener.DEFAULT_CLOSE_WAIT_SECONDS);
        for (Listener l : open) l.closeNow(waitNanos); // no grace: the endpoint goes; discards first
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        submit(() -> {
            for (Call c = live.first(); c != null; ) {
                Call next = c.nextLive;
                events.abortLocally(c, AbortCodes.RX_CALL_DEAD, true);
                c = next;
            }
            running = false;
            stopped.complete(null);
        });
        if (!await(stopped, waitNanos)) {
            LOG.warn("I/O thread of {} did not stop in time", localAddress);
            running = false;
        }
        socket.wakeup();
        try {
            ioThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        LOG.info("Rx endpoint on {} closed", localAddress);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- cross-thread plumbing ----

    /** The first socket of a {@link ReusePortEndpoint}: steers the group's datagrams, all bound by now. */
    void steerReusePortGroup(int sockets) {
        try {
            ((org.rxrpc.transport.io.NativeDatagramIo) socket).steerReusePortGroup(sockets);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    DebugReplies debugReplies() {
        return debugReplies;
    }

    /** See {@link RxTransportImpl#openForService}. */
    void awaitFirstService() {
        if (!listenedOn) awaitingFirstService = true;
    }

    /** Whether a service is about to listen: opened for one less than a second ago, none listened yet. */
    boolean serviceAboutToListen(long now) {
        return awaitingFirstService && !listenedOn && now - openedNanos < JUST_OPENED_NANOS;
    }

    boolean isIoThread() {
        return Thread.currentThread() == ioThread;
    }

    void checkNotIoThread() {
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("blocking call operations must not run on the I/O thread");
        }
    }

    /** A charge that a kept first packet waits for: the I/O thread must look now, not at its next timer. */
    void replayWanted() {
        replayWanted = true;
        if (sleeping) socket.wakeup();
    }

    /**
     * I/O thread: a service's backlog is running low. Its worker, woken to recharge, may share this CPU
     * (pinned, or a busy machine): the loop yields once so that it runs before the backlog is empty and
     * new calls meet BUSY.
     */
    void backlogLow() {
        backlogLow = true;
    }

    /** I/O thread: this iteration woke an application thread (it may answer within microseconds). */
    void handedToApplication() {
        handedToApplication = true;
    }

    void enqueue(Call call) {
        callQueue.offer(call);
        if (sleeping && Thread.currentThread() != ioThread) socket.wakeup();
    }

    /** Runs {@code r} on the I/O thread (inline if this is it, or if it has died). */
    void submit(Runnable r) {
        if (Thread.currentThread() == ioThread) {
            r.run();
            return;
        }
        commands.offer(r);
        if (sleeping) socket.wakeup();
        if (!ioThread.isAlive()) runOrphanedCommands();
    }

    /** The I/O thread has died: nobody else will run what was queued for it. */
    private void runOrphanedCommands() {
        synchronized (orphanLock) {
            Runnable r;
            while ((r = commands.poll()) != null) r.run();
        }
    }

    /**
     * Waits, bounded, for something the I/O thread does; if the I/O thread dies meanwhile, its queued
     * commands run here instead. Never throws.
     *
     * @return true if it was done in time
     */
    boolean await(CompletableFuture<?> done, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (!done.isDone()) {
            if (!ioThread.isAlive()) {
                runOrphanedCommands();
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                done.get(Math.min(left, ORPHAN_CHECK_NANOS), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // look again (an exceptional completion also counts as done)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return done.isDone();
            }
        }
        return true;
    }

    private void register(Listener l) {
        if (closed) throw new IllegalStateException("endpoint " + localAddress + " is closed");
        listeners.register(l, localAddress);
        listenedOn = true;
    }

    /** I/O thread: a drained service's BUSY time is over: new calls for it now meet an unknown service. */
    void forget(Listener l) {
        listeners.forget(l);
    }

    /**
     * Stops offering a service: the I/O thread drains it (see {@link Accept#startDrain}). The future
     * completes once its calls in progress are done, or aborted at the end of the grace period.
     */
    CompletableFuture<Void> drain(Listener l, long graceMillis) {
        submit(() -> accept.startDrain(l, graceMillis, System.nanoTime()));
        return l.drained;
    }

    /** I/O thread: a server call of {@code l} ended. */
    void serverCallEnded(Call call) {
        accept.callEnded(call);
    }

    /** I/O thread: aborts the server calls of {@code l} still in progress. */
    void abortCallsOf(Listener l, int code) {
        for (Call c = live.first(); c != null; ) {
            Call next = c.nextLive;
            if (c.listener == l) events.abortLocally(c, code, true);
            c = next;
        }
    }

    /** The server connections held now (read on the I/O thread; -1 if it does not answer). */
    int serverConnections() {
        return readOnIoThread(tables::serverConnectionCount);
    }

    /** The peers held now (read on the I/O thread; -1 if it does not answer). */
    int peerCount() {
        return readOnIoThread(tables::peerCount);
    }

    /** The live calls now (read on the I/O thread; -1 if it does not answer). */
    int liveCallCount() {
        return readOnIoThread(live::count);
    }

    private int readOnIoThread(java.util.function.IntSupplier what) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit(() -> f.complete(what.getAsInt()));
        return await(f, TimeUnit.SECONDS.toNanos(5)) ? f.join() : -1;
    }

    void countDiscard() {
        submit(() -> counters.inc(Counter.CALLS_DISCARDED));
    }

    private long ioThreadAllocatedBytes() {
        try {
            Class<?> type = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.ThreadMXBean");
            Object bean = ManagementFactory.getThreadMXBean();
            if (!type.isInstance(bean)) return -1;
            Method m = type.getMethod("getThreadAllocatedBytes", long.class);
            return (long) m.invoke(bean, ioThread.getId());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    // ---- the I/O loop ----

    private void run() {
        try {
            while (running) {
                // What this iteration sends waits and goes out in one system call per flush (sendmmsg).
                socket.beginBatch();
                long now = System.nanoTime();
                drainQueues(now);
                live.fireDue(now, events);
                if (nextTimer != 0 && now - nextTimer >= 0) nextTimer = 0; // what asked for it looks below
                if (now - nextReap >= 0) {
                    nextReap = now + REAP_INTERVAL_NANOS;
                    tables.reap(now);
                }
                flushSends();
                socket.beginBatch();
                int n = receiveBatch(now);
                // After receiving: a packet kept just now is looked at again against the rings before
                // we sleep, so a charge made meanwhile cannot be missed (see Accept.charge).
                if (backlogLow) {
                    backlogLow = false;
                    Thread.yield();
                }
                if (replayWanted) replayWanted = false;
                if (accept.keptTotal() > 0) accept.replay(listeners.all(), now);
                if (accept.draining()) accept.tendDraining(now);
                if (handshakes.anyPending()) handshakes.tend(now);
                flushSends();
                if (n == RECEIVE_BATCH || !callQueue.isEmpty() || !commands.isEmpty() || replayWanted) {
                    continue;
                }
                if (handedToApplication && awaitApplication()) continue;
                handedToApplication = false;
                sleeping = true;
                if (callQueue.isEmpty() && commands.isEmpty() && !replayWanted && running) {
                    long wake = earliest(nextTimer, live.nextWake());
                    long waitNanos = wake == 0 ? 1_000_000_000L : Math.max(0, wake - System.nanoTime());
                    long waitMillis = Math.min(1000, Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    socket.await(waitMillis);
                }
                sleeping = false;
            }
        } catch (IOException | RuntimeException | Error e) {
            if (running) LOG.error("I/O thread of {} failed", localAddress, e);
        } finally {
            running = false;
            try {
                flushSends();
            } catch (IOException | RuntimeException e) {
                LOG.debug("last sends of {} lost: {}", localAddress, e.toString());
            }
        }
    }

    /** Sends what the batch holds; what the socket refused is counted (Rx retransmits what matters). */
    private void flushSends() throws IOException {
        int failed = socket.flush();
        if (failed > 0) counters.add(Counter.SEND_FAILURES, failed);
    }

    /**
     * Just handed data to application threads: give them the CPU for a moment before sleeping, since
     * their answer usually follows within microseconds. Catching it here saves a selector wake-up (a
     * syscall each side) per call; on a busy or single CPU the yields let the application run.
     *
     * @return true if the application queued work meanwhile
     */
    private boolean awaitApplication() {
        handedToApplication = false;
        for (int i = 0; i < AWAIT_APPLICATION_YIELDS; i++) {
            Thread.yield();
            if (!callQueue.isEmpty() || !commands.isEmpty() || replayWanted) return true;
        }
        return false;
    }

    private void drainQueues(long now) {
        Runnable r;
        while ((r = commands.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("command on the I/O thread failed", e);
            }
        }
        Call c;
        while ((c = callQueue.poll()) != null) events.serviceRequest(c, now);
    }

    /** Receives what is waiting (one batch) and hands each datagram to Input. */
    private int receiveBatch(long now) throws IOException {
        int n = socket.receive(received);
        for (int i = 0; i < n; i++) {
            int length = received.length(i);
            if (length < 0) {
                counters.inc(Counter.DROP_OVERSIZED); // longer than any Rx datagram we accept
                continue;
            }
            try {
                input.datagram(received.data(i), length, received.source(i), now);
            } catch (RuntimeException e) {
                // A bug must not take the endpoint down with it: count the packet as dropped and go on.
                counters.inc(Counter.DROP_INVALID_FIELD);
                LOG.warn("packet from {} caused an error", received.source(i), e);
            }
        }
        return n;
    }

    /** Answers an rxdebug DEBUG request (its type and index) from the I/O thread's own tables. */
    void answerDebug(org.rxrpc.transport.wire.Header h, int type, int index, UdpAddress from) {
        output.sendDebug(h, debugReplies.prepare(type, index), from);
    }

    /** Lowers the endpoint's next wake-up to {@code when} if that is sooner (not for call timers). */
    void timerAt(long when) {
        nextTimer = earliest(nextTimer, when);
    }

    /** The earlier of two deadlines, 0 meaning none. */
    private static long earliest(long a, long b) {
        if (a == 0) return b;
        if (b == 0) return a;
        return a - b <= 0 ? a : b;
    }

    // ---- calls ----

    void addLive(Call call) {
        live.add(call);
    }

    void removeLive(Call call) {
        live.remove(call);
    }

    /** Sets the call's next timer (CallEvents.scheduleTimers). */
    void schedule(Call call, long deadline) {
        live.schedule(call, deadline);
    }

    /** The service listened on for {@code serviceId}: open, or closed and still draining; else null. */
    Listener listener(int serviceId) {
        return listeners.find(serviceId);
    }

    @Override
    public String toString() {
        return "Rx endpoint " + localAddress;
    }
}
