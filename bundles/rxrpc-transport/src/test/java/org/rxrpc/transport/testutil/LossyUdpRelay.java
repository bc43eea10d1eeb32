package org.rxrpc.transport.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay on 127.0.0.1 that plays a bad network between Rx clients and one server (the target):
 * each datagram, in each direction, is independently dropped, duplicated or held back (reordered)
 * with the configured probabilities, drawn from a {@link Random} seeded by the caller so a failing
 * run can be repeated.
 *
 * <p>Clients send to {@link #address()}. Each client gets its own upstream socket towards the target
 * (NAT-style), so the server sees one source port per client and its replies find their way back.
 *
 * <p>Fates per datagram: dropped with {@code lossRate}; otherwise sent, plus a second copy with
 * {@code duplicateRate}; with {@code reorderRate} it is held back and sent right after the next
 * datagram of the same client in the same direction that gets through (or when the hold timer, 10 ms
 * by default, runs out). Only one datagram per client and direction is held at a time.
 *
 * <p>Counters are per direction ({@link #toTarget()}, {@link #fromTarget()}) and in total; once nothing
 * is held, {@code received == forwarded + dropped} in each direction.
 *
 * <p>One daemon thread ("lossy-relay-PORT") runs a Selector loop; it alone touches the sockets, the
 * client table and the held datagrams, so none of those need locking.
 */
public final class LossyUdpRelay implements AutoCloseable {

    public static final int DEFAULT_MAX_CLIENTS = 4096;
    public static final Duration DEFAULT_REORDER_HOLD = Duration.ofMillis(10);

    private static final int MAX_DATAGRAM = 65_535;
    /** Reads per socket per wake-up, so one busy client cannot starve the others. */
    private static final int READ_BATCH = 64;
    /** Ask for large socket buffers: a burst from a test should not be lost before the relay decides. */
    private static final int SOCKET_BUFFER = 4 << 20;

    private static final int TO_TARGET = 0;
    private static final int FROM_TARGET = 1;

    /** Counter snapshot for one direction. received = forwarded + dropped + (held right now). */
    public record Stats(long received, long forwarded, long dropped, long duplicated, long reordered) {}

    private record Rates(double loss, double duplicate, double reorder) {
        Rates {
            check("lossRate", loss);
            check("duplicateRate", duplicate);
            check("reorderRate", reorder);
        }

        private static void check(String name, double p) {
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
            }
        }
    }

    /** Per-direction random source and counters. Counters are written by the relay thread only. */
    private static final class Direction {
        final int index;
        final Random random;
        final AtomicLong received = new AtomicLong();
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong reordered = new AtomicLong();

        Direction(int index, long seed) {
            this.index = index;
            this.random = new Random(seed);
        }

        Stats snapshot() {
            return new Stats(received.get(), forwarded.get(), dropped.get(), duplicated.get(), reordered.get());
        }
    }

    /** One client as the relay knows it: its address and its own socket towards the target. */
    private static final class Client {
        final InetSocketAddress address;
        final DatagramChannel upstream;
        final Held[] held = new Held[2]; // per direction

        Client(InetSocketAddress address, DatagramChannel upstream) {
            this.address = address;
            this.upstream = upstream;
        }
    }

    private static final class Held {
        final Client client;
        final Direction direction;
        final byte[] data;
        final boolean duplicate;
        long deadline;

        Held(Client client, Direction direction, byte[] data, boolean duplicate) {
            this.client = client;
            this.direction = direction;
            this.data = data;
            this.duplicate = duplicate;
        }
    }

    private final InetSocketAddress target;
    private final int maxClients;
    private final Selector selector;
    private final DatagramChannel front;
    private final InetSocketAddress address;
    private final Direction toTarget;
    private final Direction fromTarget;
    private final Thread thread;

    // Relay-thread state.
    private final Map<InetSocketAddress, Client> clients = new HashMap<>();
    private final PriorityQueue<Held> timers = new PriorityQueue<>(Comparator.comparingLong(h -> h.deadline));

    private final AtomicInteger clientCount = new AtomicInteger();
    private final AtomicLong rejectedClients = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile Rates rates;
    private volatile long reorderHoldNanos = DEFAULT_REORDER_HOLD.toNanos();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private LossyUdpRelay(InetSocketAddress target, long seed, Rates rates, int maxClients) throws IOException {
        this.target = target;
        this.rates = rates;
        this.maxClients = maxClients;
        // Independent streams per direction: the client->server fates do not shift with reply timing.
        this.toTarget = new Direction(TO_TARGET, seed);
        this.fromTarget = new Direction(FROM_TARGET, ~seed);
        this.selector = Selector.open();
        DatagramChannel ch = null;
        try {
            ch = openLoopbackChannel();
            ch.register(selector, SelectionKey.OP_READ, null); // null attachment = the client-facing socket
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            selector.close();
            throw e;
        }
        this.front = ch;
        this.address = (InetSocketAddress) ch.getLocalAddress();
        this.thread = new Thread(this::run, "lossy-relay-" + address.getPort());
        this.thread.setDaemon(true);
    }

    /**
     * Starts a relay on 127.0.0.1:0 that forwards to {@code target}; see the class comment for the rates.
     * {@code target} must be the address the server's replies come from (127.0.0.1:port, not 0.0.0.0):
     * datagrams from anywhere else are ignored.
     */
    public static LossyUdpRelay start(
            InetSocketAddress target, long seed, double lossRate, double duplicateRate, double reorderRate)
            throws IOException {
        return start(target, seed, lossRate, duplicateRate, reorderRate, DEFAULT_MAX_CLIENTS);
    }

    /** As {@link #start(InetSocketAddress, long, double, double, double)}, with a different client limit. */
    public static LossyUdpRelay start(
            InetSocketAddress target,
            long seed,
            double lossRate,
            double duplicateRate,
            double reorderRate,
            int maxClients)
            throws IOException {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be positive, got " + maxClients);
        }
        LossyUdpRelay relay =
                new LossyUdpRelay(target, seed, new Rates(lossRate, duplicateRate, reorderRate), maxClients);
        relay.thread.start();
        return relay;
    }

    /** Where clients send: 127.0.0.1 and an ephemeral port. */
    public InetSocketAddress address() {
        return address;
    }

    /** New rates for both directions, effective from the next datagram (e.g. all 0 to heal the link). */
    public void setRates(double lossRate, double duplicateRate, double reorderRate) {
        rates = new Rates(lossRate, duplicateRate, reorderRate);
    }

    /** How long a reordered datagram waits for a successor before it is sent anyway. */
    public void setReorderHold(Duration hold) {
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("hold must be positive, got " + hold);
        }
        reorderHoldNanos = hold.toNanos();
        selector.wakeup(); // re-plan the select timeout
    }

    /** Client-to-target counters. */
    public Stats toTarget() {
        return toTarget.snapshot();
    }

    /** Target-to-client counters. */
    public Stats fromTarget() {
        return fromTarget.snapshot();
    }

    /** Datagrams passed on (each counted once, duplicates not included), both directions. */
    public long forwarded() {
        return toTarget.forwarded.get() + fromTarget.forwarded.get();
    }

    public long dropped() {
        return toTarget.dropped.get() + fromTarget.dropped.get();
    }

    /** Extra copies sent, both directions. */
    public long duplicated() {
        return toTarget.duplicated.get() + fromTarget.duplicated.get();
    }

    /** Datagrams held back to be sent after their successor, both directions. */
    public long reordered() {
        return toTarget.reordered.get() + fromTarget.reordered.get();
    }

    public int clientCount() {
        return clientCount.get();
    }

    /** Datagrams from new clients ignored because the client limit was reached (or no socket was left). */
    public long rejectedClients() {
        return rejectedClients.get();
    }

    /** Sends the operating system refused or could not take (full socket buffer): extra, unplanned loss. */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Stops the relay thread and closes every socket. Rethrows whatever made the relay thread die. */
    @Override
    public void close() {
        running = false;
        if (thread.isAlive()) {
            selector.wakeup();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 5 s");
            }
        } else {
            closeAll(); // never started, or already gone: make sure nothing stays open
        }
        Throwable f = failure;
        if (f != null) {
            failure = null; // report once
            throw new IllegalStateException("relay thread failed", f);
        }
    }

    // ---- relay thread ---------------------------------------------------------------------------

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (running) {
                long waitMillis = millisToNextTimer();
                if (waitMillis < 0) {
                    selector.select();
                } else if (waitMillis == 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis);
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isValid() && key.isReadable()) {
                        readFrom(key, buffer);
                    }
                }
                releaseExpired();
            }
        } catch (IOException | RuntimeException | Error e) {
            if (running) {
                failure = e;
            }
        } finally {
            closeAll();
        }
    }

    private void readFrom(SelectionKey key, ByteBuffer buffer) throws IOException {
        Client upstreamOf = (Client) key.attachment();
        DatagramChannel ch = (DatagramChannel) key.channel();
        for (int i = 0; i < READ_BATCH; i++) {
            buffer.clear();
            SocketAddress from = ch.receive(buffer);
            if (from == null) {
                return;
            }
            byte[] data = new byte[buffer.flip().remaining()];
            buffer.get(data);
            if (upstreamOf == null) {
                Client c = clientFor((InetSocketAddress) from);
                if (c != null) {
                    relay(toTarget, c, data);
                }
            } else if (from.equals(target)) {
                relay(fromTarget, upstreamOf, data);
            }
            // Anything else reaching an upstream socket is stray traffic, not part of the test: ignore it.
        }
    }

    private Client clientFor(InetSocketAddress from) {
        Client c = clients.get(from);
        if (c != null) {
            return c;
        }
        if (clients.size() >= maxClients) {
            rejectedClients.incrementAndGet();
            return null;
        }
        DatagramChannel upstream = null;
        try {
            upstream = openLoopbackChannel();
            c = new Client(from, upstream);
            upstream.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException e) {
            // Out of sockets, say: turn the client away rather than kill the relay for everyone.
            closeQuietly(upstream);
            rejectedClients.incrementAndGet();
            return null;
        }
        clients.put(from, c);
        clientCount.set(clients.size());
        return c;
    }

    /** Decides the datagram's fate. Always draws three numbers so a rate change does not shift later fates. */
    private void relay(Direction dir, Client c, byte[] data) {
        dir.received.incrementAndGet();
        Rates r = rates;
        double lossDraw = dir.random.nextDouble();
        double duplicateDraw = dir.random.nextDouble();
        double reorderDraw = dir.random.nextDouble();
        if (lossDraw < r.loss()) {
            dir.dropped.incrementAndGet();
            return;
        }
        Held p = new Held(c, dir, data, duplicateDraw < r.duplicate());
        Held waiting = c.held[dir.index];
        if (waiting == null && reorderDraw < r.reorder()) {
            p.deadline = System.nanoTime() + reorderHoldNanos;
            c.held[dir.index] = p;
            timers.add(p);
            dir.reordered.incrementAndGet();
            return;
        }
        emit(p);
        if (waiting != null) {
            release(waiting); // the successor has gone out: now the held one follows it
        }
    }

    private void release(Held h) {
        h.client.held[h.direction.index] = null;
        timers.remove(h);
        emit(h);
    }

    private void releaseExpired() {
        long now = System.nanoTime();
        Held h;
        while ((h = timers.peek()) != null && h.deadline - now <= 0) {
            release(h);
        }
    }

    private long millisToNextTimer() {
        Held h = timers.peek();
        if (h == null) {
            return -1;
        }
        long nanos = h.deadline - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    private void emit(Held h) {
        h.direction.forwarded.incrementAndGet();
        send(h);
        if (h.duplicate) {
            h.direction.duplicated.incrementAndGet();
            send(h);
        }
    }

    private void send(Held h) {
        DatagramChannel ch = h.direction.index == TO_TARGET ? h.client.upstream : front;
        InetSocketAddress to = h.direction.index == TO_TARGET ? target : h.client.address;
        try {
            if (ch.send(ByteBuffer.wrap(h.data), to) == 0) {
                sendFailures.incrementAndGet();
            }
        } catch (IOException e) {
            // Like a real network, an unreachable peer just loses the datagram; the relay keeps going.
            sendFailures.incrementAndGet();
        }
    }

    private static DatagramChannel openLoopbackChannel() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            ch.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is best effort; nothing useful to do about a failure here
        }
    }

    private void closeAll() {
        List<DatagramChannel> channels = new ArrayList<>();
        channels.add(front);
        try {
            for (SelectionKey key : selector.keys()) {
                channels.add((DatagramChannel) key.channel());
            }
        } catch (ClosedSelectorException alreadyClosed) {
            // closed on an earlier call: the channels were closed then too
        }
        channels.forEach(LossyUdpRelay::closeQuietly);
        try {
            selector.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
