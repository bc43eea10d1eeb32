package org.rxrpc.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.RxUserService;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.transport.util.AddressMap;
import org.rxrpc.transport.util.LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket and the I/O thread that owns all of its protocol state: peers, connections, calls and
 * timers. Other threads reach it through two queues (calls wanting attention, and commands) and a
 * selector wake-up (net/rxrpc/io_thread.c; Aeron's agents).
 */
final class Endpoint implements RxEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    private static final int RECEIVE_BURST = 64;
    private static final int AWAIT_APPLICATION_YIELDS = 8;
    private static final long REAP_INTERVAL_NANOS = 1_000_000_000L;
    private static final long DEDICATED_CONN_LINGER_NANOS = 2_000_000_000L;
    private static final long BUSY_SERVER_CONN_IDLE_NANOS = 10_000_000_000L;
    private static final int MANY_CONNECTIONS = 1024;

    final EndpointOptions options;
    final PacketPool pool;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread ioThread;
    private final InetSocketAddress localAddress;
    private final Counters counters = new Counters();
    private final Output output;
    private final Transmitter transmitter;
    private final CallEvents events;
    private final Input input;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65536);
    private final ConcurrentLinkedQueue<Call> callQueue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Consumer<SelectionKey> ignoreKey = key -> {};
    private volatile boolean sleeping;
    private volatile boolean running = true;
    private volatile boolean closed;

    // ---- I/O thread state ----
    final AddressMap<Peer> peers = new AddressMap<>(64);
    private final LongHashMap<Connection> serverConnections = new LongHashMap<>(1024);
    final LongHashMap<Connection> clientConnections = new LongHashMap<>(256);
    private final List<Listener> listeners = new ArrayList<>();
    private volatile Listener[] listenerArray = new Listener[0];
    private Peer peerList;
    private Connection connList;
    private Call liveList;
    private long nextTimer;
    private long nextReap;
    private final int epoch;
    private int nextCidCounter;
    private int serverConnectionCount;
    private int deferredTotal;
    /** Set when this loop iteration woke an application thread (new call or data to read). */
    boolean handedToApplication;

    Endpoint(EndpointOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        SecureRandom random = new SecureRandom();
        // Bit 31 set: identify connections by epoch and cid only (OpenAFS and Linux both set it).
        epoch = (random.nextInt() | 0x80000000) & ~0x40000000;
        nextCidCounter = 1 + random.nextInt(0x3FFFFFFE);
        pool = new PacketPool(options.packetBuffers());
        try {
            InetAddress bind = InetAddress.getByName(options.bindAddress());
            channel = DatagramChannel.open(
                    bind instanceof java.net.Inet6Address
                            ? java.net.StandardProtocolFamily.INET6
                            : java.net.StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.socketBufferBytes());
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.socketBufferBytes());
            channel.bind(new InetSocketAddress(bind, options.port()));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            localAddress = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot bind Rx endpoint to " + options.bindAddress() + ":" + options.port(), e);
        }
        output = new Output(channel, counters, options.receiveWindow());
        transmitter = new Transmitter(output, counters, options.sendWindow());
        Receiver receiver = new Receiver(pool, counters, options.receiveWindow());
        events = new CallEvents(
                this, output, transmitter, counters, options.deadTimeMillis(), options.idleTimeoutMillis());
        input = new Input(this, counters, output, receiver, transmitter, events);
        ioThread = new Thread(this::run, "rx-io-" + localAddress.getPort());
        ioThread.setDaemon(true);
        ioThread.start();
        LOG.info("Rx endpoint on {} (receive buffer {} bytes)", localAddress, receiveBufferSize());
    }

    private int receiveBufferSize() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- RxEndpoint ----

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public RxService listen(int serviceId, int backlog, NewCallNotifier newCall, DiscardNotifier discard) {
        KernelServiceListener l = new KernelServiceListener(this, serviceId, backlog, newCall, discard);
        register(l);
        return l;
    }

    @Override
    public RxUserService listenUser(int serviceId, int backlog, boolean chargeOnListen) {
        UserSocketListener l = new UserSocketListener(this, serviceId, backlog, chargeOnListen);
        register(l);
        if (chargeOnListen) l.chargeInitially();
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
        call.peerAddress = server;
        call.notifyRx = notifyRx;
        call.requestIo();
        return call;
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
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        List<Listener> open;
        synchronized (listeners) {
            open = new ArrayList<>(listeners);
        }
        for (Listener l : open) l.close();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        submit(() -> {
            for (Call c = liveList; c != null; ) {
                Call next = c.nextLive;
                events.abortLocally(c, AbortCodes.RX_CALL_DEAD, true);
                c = next;
            }
            running = false;
            stopped.complete(null);
        });
        try {
            stopped.get(5, TimeUnit.SECONDS);
            ioThread.join(5000);
        } catch (Exception e) {
            LOG.warn("I/O thread of {} did not stop in time", localAddress);
            running = false;
            selector.wakeup();
        }
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", localAddress, e.toString());
        }
        LOG.info("Rx endpoint on {} closed", localAddress);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    // ---- cross-thread plumbing ----

    void checkNotIoThread() {
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("blocking call operations must not run on the I/O thread");
        }
    }

    /** Makes the I/O thread look around now (a charge may let kept calls go live). */
    void wakeup() {
        if (sleeping) selector.wakeup();
    }

    void enqueue(Call call) {
        callQueue.offer(call);
        if (sleeping) selector.wakeup();
    }

    /** Runs {@code r} on the I/O thread (inline if this is it, or if it has stopped). */
    void submit(Runnable r) {
        if (Thread.currentThread() == ioThread || !ioThread.isAlive()) {
            r.run();
            return;
        }
        commands.offer(r);
        if (sleeping) selector.wakeup();
    }

    private void register(Listener l) {
        if (closed) throw new IllegalStateException("endpoint " + localAddress + " is closed");
        synchronized (listeners) {
            for (Listener other : listeners) {
                if (other.serviceId == l.serviceId) {
                    throw new IllegalStateException(
                            "service " + l.serviceId + " is already listened on at " + localAddress);
                }
            }
            listeners.add(l);
            listenerArray = listeners.toArray(new Listener[0]);
        }
    }

    /** Stops offering a service and aborts its calls; returns once the I/O thread has let go of it. */
    void unregister(Listener l) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(() -> {
            synchronized (listeners) {
                listeners.remove(l);
                listenerArray = listeners.toArray(new Listener[0]);
            }
            for (Call c = liveList; c != null; ) {
                Call next = c.nextLive;
                if (c.listener == l) events.abortLocally(c, AbortCodes.RX_INVALID_OPERATION, true);
                c = next;
            }
            done.complete(null);
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ServiceClosedException("service " + l.serviceId + " (the I/O thread did not answer)");
        }
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
                long now = System.nanoTime();
                drainQueues(now);
                if (nextTimer != 0 && now - nextTimer >= 0) runTimers(now);
                if (now - nextReap >= 0) reap(now);
                if (deferredTotal > 0) replayDeferred(now);
                int received = receiveBurst(now);
                if (received == RECEIVE_BURST || !callQueue.isEmpty() || !commands.isEmpty()) continue;
                if (handedToApplication && awaitApplication()) continue;
                handedToApplication = false;
                sleeping = true;
                if (callQueue.isEmpty() && commands.isEmpty() && running) {
                    long waitNanos = nextTimer == 0 ? 1_000_000_000L : Math.max(0, nextTimer - System.nanoTime());
                    long waitMillis = Math.min(1000, Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    selector.select(ignoreKey, waitMillis);
                }
                sleeping = false;
            }
        } catch (IOException | RuntimeException | Error e) {
            if (running) LOG.error("I/O thread of {} failed", localAddress, e);
        } finally {
            running = false;
        }
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
            if (!callQueue.isEmpty() || !commands.isEmpty()) return true;
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

    private int receiveBurst(long now) throws IOException {
        int n = 0;
        while (n < RECEIVE_BURST) {
            receiveBuffer.clear();
            SocketAddress from = channel.receive(receiveBuffer);
            if (from == null) break;
            n++;
            try {
                input.datagram(receiveBuffer, receiveBuffer.position(), (InetSocketAddress) from, now);
            } catch (RuntimeException e) {
                // A bug must not take the endpoint down with it: count the packet as dropped and go on.
                counters.inc(Counter.DROP_INVALID_FIELD);
                LOG.warn("packet from {} caused an error", from, e);
            }
        }
        return n;
    }

    /** Answers an rxdebug DEBUG request from the I/O thread's own tables. */
    void answerDebug(org.rxrpc.transport.wire.Header h, int type, InetSocketAddress from) {
        int calls = 0;
        for (Call c = liveList; c != null; c = c.nextLive) calls++;
        int conns = serverConnectionCount + clientConnections.size();
        output.sendDebug(h, type, pool.available(), conns, peers.size(), calls, from);
    }

    /** Input kept a new call's first packet: look at it again when it would expire. */
    void deferredAdded(long now) {
        deferredTotal++;
        timerAt(now + options.newCallDeferMillis() * 1_000_000L);
    }

    /** Makes kept calls live as far as charges allow, oldest first; expired ones are answered BUSY. */
    private void replayDeferred(long now) {
        long limit = options.newCallDeferMillis() * 1_000_000L;
        int remaining = 0;
        for (Listener l : listenerArray) {
            DeferredCalls d = l.deferred;
            if (d == null) continue;
            while (d.count() > 0) {
                if (now - d.oldestSince() >= limit) {
                    input.expire(d.oldestPacket(), d.oldestSource());
                } else if (l.backlog.canSupply(true, true)) {
                    input.replay(d.oldestPacket(), d.oldestLength(), d.oldestSource(), now);
                } else {
                    timerAt(d.oldestSince() + limit);
                    break;
                }
                d.removeOldest();
            }
            remaining += d.count();
        }
        deferredTotal = remaining;
    }

    /** Lowers the endpoint's next wake-up to {@code when} if that is sooner. */
    void timerAt(long when) {
        if (nextTimer == 0 || when - nextTimer < 0) nextTimer = when;
    }

    private void runTimers(long now) {
        nextTimer = 0;
        for (Call c = liveList; c != null; ) {
            Call next = c.nextLive;
            if (c.nextTimer - now <= 0) events.timers(c, now);
            else timerAt(c.nextTimer);
            c = next;
        }
    }

    // ---- tables ----

    void addLive(Call call) {
        if (call.onLiveList) return;
        call.onLiveList = true;
        call.prevLive = null;
        call.nextLive = liveList;
        if (liveList != null) liveList.prevLive = call;
        liveList = call;
    }

    void removeLive(Call call) {
        if (!call.onLiveList) return;
        call.onLiveList = false;
        if (call.prevLive != null) call.prevLive.nextLive = call.nextLive;
        else liveList = call.nextLive;
        if (call.nextLive != null) call.nextLive.prevLive = call.prevLive;
        call.prevLive = null;
        call.nextLive = null;
    }

    Listener listener(int serviceId) {
        Listener[] ls = listenerArray;
        for (Listener l : ls) {
            if (l.serviceId == serviceId && !l.isClosed()) return l;
        }
        return null;
    }

    void addPeer(Peer p) {
        peers.put(p.address, p);
        p.prev = null;
        p.next = peerList;
        if (peerList != null) peerList.prev = p;
        peerList = p;
        counters.inc(Counter.PEERS_CREATED);
    }

    private void removePeer(Peer p) {
        peers.remove(p.address);
        if (p.prev != null) p.prev.next = p.next;
        else peerList = p.next;
        if (p.next != null) p.next.prev = p.prev;
        counters.inc(Counter.PEERS_REAPED);
    }

    Connection findServerConnection(Peer peer, int connEpoch, int cid) {
        Connection c = serverConnections.get(Connection.serverKey(connEpoch, cid));
        while (c != null && c.peer != peer) c = c.sameKeyNext;
        return c;
    }

    void addServerConnection(Connection c) {
        long key = Connection.serverKey(c.epoch, c.cid);
        c.sameKeyNext = serverConnections.put(key, c);
        linkConnection(c);
        serverConnectionCount++;
    }

    private void linkConnection(Connection c) {
        c.peer.connections++;
        c.prev = null;
        c.next = connList;
        if (connList != null) connList.prev = c;
        connList = c;
        counters.inc(Counter.CONNECTIONS_CREATED);
    }

    private void removeConnection(Connection c) {
        if (c.weAreClient) {
            clientConnections.remove((c.cid >>> 2) & 0x3FFFFFFFL);
            c.peer.removeClientConn(c);
        } else {
            long key = Connection.serverKey(c.epoch, c.cid);
            Connection head = serverConnections.get(key);
            if (head == c) {
                if (c.sameKeyNext != null) serverConnections.put(key, c.sameKeyNext);
                else serverConnections.remove(key);
            } else {
                while (head != null && head.sameKeyNext != c) head = head.sameKeyNext;
                if (head != null) head.sameKeyNext = c.sameKeyNext;
            }
            serverConnectionCount--;
        }
        if (c.prev != null) c.prev.next = c.next;
        else connList = c.next;
        if (c.next != null) c.next.prev = c.prev;
        c.peer.connections--;
        c.peer.lastUsedNanos = System.nanoTime();
        counters.inc(Counter.CONNECTIONS_REAPED);
    }

    /** A client connection with a free channel for the call's service and peer, made if need be. */
    Connection clientConnectionFor(Call call, long now) {
        InetSocketAddress target = call.peerAddress;
        Peer peer = peers.get(target);
        if (peer == null) {
            peer = new Peer();
            peer.init(target, now);
            addPeer(peer);
        }
        peer.lastUsedNanos = now;
        if (!call.options.newConnection()) {
            for (int i = 0; i < peer.clientConnCount; i++) {
                Connection c = peer.clientConns[i];
                if (!c.dedicated && c.serviceId == call.serviceId && c.freeChannel() >= 0) return c;
            }
        }
        Connection c = new Connection();
        int cid = nextCidCounter << 2;
        nextCidCounter = nextCidCounter >= 0x3FFFFFFF ? 1 : nextCidCounter + 1;
        c.initClient(peer, epoch, cid, call.serviceId, call.options.newConnection(), now);
        clientConnections.put((cid >>> 2) & 0x3FFFFFFFL, c);
        peer.addClientConn(c);
        linkConnection(c);
        return c;
    }

    /** Drops idle connections and peers (once a second). */
    private void reap(long now) {
        nextReap = now + REAP_INTERVAL_NANOS;
        long idle = options.connectionIdleMillis() * 1_000_000L;
        long serverIdle = serverConnectionCount > MANY_CONNECTIONS ? Math.min(idle, BUSY_SERVER_CONN_IDLE_NANOS) : idle;
        for (Connection c = connList; c != null; ) {
            Connection next = c.next;
            long limit = c.dedicated ? DEDICATED_CONN_LINGER_NANOS : c.weAreClient ? idle : serverIdle;
            if (c.activeCalls == 0 && now - c.lastActiveNanos > limit) removeConnection(c);
            c = next;
        }
        for (Peer p = peerList; p != null; ) {
            Peer next = p.next;
            if (p.connections == 0 && now - p.lastUsedNanos > idle) removePeer(p);
            p = next;
        }
    }

    @Override
    public String toString() {
        return "Rx endpoint " + localAddress;
    }
}
