package org.rxrpc.transport;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxStats;
import org.rxrpc.transport.io.UdpAddress;

/**
 * A test's view inside a real {@link Endpoint}: runs code on its I/O thread (the only thread allowed to
 * touch protocol state) and reads the state a datagram could create. The endpoint keeps its decoder and
 * tables in private fields; they are read here once, by reflection, so that no test hook has to live in
 * the production class.
 */
final class EndpointInternals {
    private final Endpoint endpoint;
    private final Input input;
    private final Tables tables;
    private final LiveCalls live;
    private final Accept accept;
    private final Counters counters;
    private final Thread ioThread;

    EndpointInternals(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.input = field(endpoint, "input", Input.class);
        this.tables = field(endpoint, "tables", Tables.class);
        this.live = field(endpoint, "live", LiveCalls.class);
        this.accept = field(endpoint, "accept", Accept.class);
        this.counters = field(endpoint, "counters", Counters.class);
        this.ioThread = field(endpoint, "ioThread", Thread.class);
    }

    private static <T> T field(Endpoint e, String name, Class<T> type) {
        try {
            Field f = Endpoint.class.getDeclaredField(name);
            f.setAccessible(true);
            return type.cast(f.get(e));
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(
                    "Endpoint has no field " + name + " of type " + type.getSimpleName()
                            + ": update EndpointInternals to the transport's current layout",
                    ex);
        }
    }

    Thread ioThread() {
        return ioThread;
    }

    /** Runs {@code what} on the I/O thread and returns its result, or rethrows what it threw. */
    <T> T onIoThread(Supplier<T> what) {
        CompletableFuture<T> f = new CompletableFuture<>();
        endpoint.submit(() -> {
            try {
                f.complete(what.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        if (!endpoint.await(f, TimeUnit.SECONDS.toNanos(10))) {
            throw new AssertionError("the I/O thread did not run a command within 10 s");
        }
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw e;
        }
    }

    /**
     * Hands one datagram to the endpoint's real decoder on its I/O thread, exactly as the receive loop
     * does but without the loop's safety net: whatever the decoder throws reaches the caller. The
     * datagram sits in a buffer of exactly its length, so a read past its end throws too. Returns the
     * endpoint's state before and after.
     */
    Effect deliver(byte[] datagram, UdpAddress from) {
        ByteBuffer b = ByteBuffer.wrap(datagram.clone());
        return onIoThread(() -> {
            State before = state();
            input.datagram(b, datagram.length, from, System.nanoTime());
            return new Effect(before, state());
        });
    }

    /** The state now (on the I/O thread). */
    State state() {
        if (Thread.currentThread() != ioThread) return onIoThread(this::state);
        return new State(
                counters.snapshot(0),
                tables.peerCount(),
                tables.connectionCount(),
                live.count(),
                accept.keptTotal(),
                endpoint.pool.available());
    }

    /** What the endpoint holds and has counted at one moment. */
    record State(RxStats stats, int peers, int connections, int liveCalls, int keptPackets, int freeBuffers) {
        long get(Counter c) {
            return stats.get(c);
        }

        long abortsSent() {
            return stats.abortsSent().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    /** The state before and after one datagram. */
    record Effect(State before, State after) {
        long delta(Counter c) {
            return after.get(c) - before.get(c);
        }

        /** Growth of every DROP counter together. */
        long drops() {
            return after.stats().drops() - before.stats().drops();
        }

        long abortsSent() {
            return after.abortsSent() - before.abortsSent();
        }

        /** Whether this datagram made or kept anything of a call: a peer, a connection, a call, a kept packet. */
        boolean createdCallState() {
            return after.peers() > before.peers()
                    || after.connections() > before.connections()
                    || after.liveCalls() > before.liveCalls()
                    || after.keptPackets() > before.keptPackets()
                    || delta(Counter.CALLS_MADE_LIVE) > 0
                    || delta(Counter.CALLS_DEFERRED) > 0
                    || delta(Counter.CONNECTIONS_CREATED) > 0
                    || delta(Counter.PEERS_CREATED) > 0;
        }

        /** Counters that moved, besides DATAGRAMS_RECEIVED (for messages). */
        String moved() {
            StringBuilder sb = new StringBuilder();
            for (Counter c : Counter.values()) {
                if (c == Counter.DATAGRAMS_RECEIVED || c == Counter.IO_THREAD_ALLOCATED_BYTES) continue;
                long d = delta(c);
                if (d != 0) sb.append(c).append('+').append(d).append(' ');
            }
            if (abortsSent() != 0)
                sb.append("aborts sent ").append(after.stats().abortsSent());
            return sb.length() == 0 ? "nothing" : sb.toString().trim();
        }

        /** Whether anything but DATAGRAMS_RECEIVED was counted. */
        boolean counted() {
            for (Counter c : Counter.values()) {
                if (c == Counter.DATAGRAMS_RECEIVED || c == Counter.IO_THREAD_ALLOCATED_BYTES) continue;
                if (delta(c) != 0) return true;
            }
            return abortsSent() != 0;
        }
    }
}
