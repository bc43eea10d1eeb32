package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hot-path rule: the I/O thread allocates nothing per datagram. One thread (this one, as an
 * endpoint's I/O thread) receives datagrams from 32 client sockets taking turns, so that the sender
 * changes with every datagram, and answers each; its allocated bytes are compared before and after.
 * NIO runs the same loop for comparison (printed, not asserted: the JDK makes a source address per
 * datagram). The datagrams/s figures are informational (loopback, lock-step rounds of 32, a 2-core box).
 */
@Timeout(180)
class NativeDatagramIoAllocatesNothingPerDatagramTest {
    private static final int CLIENTS = 32;
    private static final int WARMUP = 20_000; // multiples of CLIENTS: a phase ends with a round
    private static final int MEASURED = 100_000;
    /** Allowance for the JIT's and the JVM's own noise on this thread; a datagram's address is ~120 B. */
    private static final long ALLOWED_BYTES = 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void library() {
        NativeLibraryRequired.require();
        assertTrue(THREADS.isThreadAllocatedMemorySupported());
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    record Figures(long allocatedBytes, long nanos, long cpuNanos, int receives) {
        double perDatagram() {
            return (double) allocatedBytes / MEASURED;
        }

        long datagramsPerSecond() {
            return MEASURED * 1_000_000_000L / Math.max(1, nanos);
        }

        double cpuMicrosPerDatagram() {
            return cpuNanos / 1000.0 / MEASURED;
        }

        double datagramsPerReceive() {
            return (double) MEASURED / Math.max(1, receives);
        }
    }

    @Test
    void receivingAndAnsweringManySendersAllocatesNothingNatively() throws Exception {
        Figures nio;
        try (NioDatagramIo io = new NioDatagramIo("127.0.0.1", 0, 4 << 20)) {
            nio = serveClients(io);
        }
        Figures nat;
        try (NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 4 << 20)) {
            nat = serveClients(io);
        }
        print("nio", nio);
        print("native recvmmsg", nat);
        assertTrue(
                nat.allocatedBytes() < ALLOWED_BYTES,
                "the native I/O thread allocated " + nat.allocatedBytes() + " bytes for " + MEASURED + " datagrams");
    }

    private static void print(String kind, Figures f) {
        System.out.printf(
                "%-16s %d datagrams from %d sockets received and answered on one thread: %d bytes allocated"
                        + " (%.1f per datagram), %d datagrams/s received (%d ms), %.2f us of its CPU per datagram"
                        + " (receive + answer), %.1f datagrams per receive call%n",
                kind,
                MEASURED,
                CLIENTS,
                f.allocatedBytes(),
                f.perDatagram(),
                f.datagramsPerSecond(),
                TimeUnit.NANOSECONDS.toMillis(f.nanos()),
                f.cpuMicrosPerDatagram(),
                f.datagramsPerReceive());
    }

    /** Runs the clients on their own thread, and serves them on this one. */
    private static Figures serveClients(DatagramIo io) throws Exception {
        AtomicReference<Throwable> clientFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread clients = new Thread(() -> runClients(io.localAddress(), stop, clientFailure), "clients");
        clients.setDaemon(true);
        clients.start();
        try {
            ReceiveBatch batch = new ReceiveBatch(64);
            ByteBuffer reply = ByteBuffer.allocateDirect(64);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            long me = Thread.currentThread().getId();

            Loop loop = new Loop();
            serve(io, batch, reply, WARMUP, deadline, stop, loop);
            assertEquals(WARMUP, loop.served);
            loop.served = 0;
            loop.receives = 0;
            long before = THREADS.getThreadAllocatedBytes(me);
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            serve(io, batch, reply, MEASURED, deadline, stop, loop);
            long nanos = System.nanoTime() - t0;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long after = THREADS.getThreadAllocatedBytes(me);

            clients.join(10_000);
            assertNull(clientFailure.get(), () -> "clients failed: " + clientFailure.get());
            assertEquals(MEASURED, loop.served);
            return new Figures(after - before, nanos, cpu, loop.receives);
        } finally {
            stop.set(true);
            clients.join(10_000);
        }
    }

    /**
     * The I/O thread's loop: receive what is waiting, answer each datagram to its source with its first 8
     * bytes, wait when there is nothing. Allocation-free by itself (absolute gets and puts only).
     */
    private static void serve(
            DatagramIo io,
            ReceiveBatch batch,
            ByteBuffer reply,
            int datagrams,
            long deadline,
            AtomicBoolean stop,
            Loop loop)
            throws IOException {
        int served = 0;
        while (served < datagrams) {
            int n = io.receive(batch);
            if (n == 0) {
                if (stop.get() || System.nanoTime() > deadline) break;
                io.await(100);
                continue;
            }
            for (int i = 0; i < n; i++) {
                reply.putLong(0, batch.data(i).getLong(0));
                while (!io.send(reply, 8, batch.source(i))) Thread.onSpinWait();
            }
            served += n;
            loop.receives++;
        }
        loop.served = served;
    }

    /** What the loop did, in a holder made before the measurement. */
    private static final class Loop {
        int served;
        int receives;
    }

    /** 32 sockets take turns: a round sends one datagram from each, then waits for the 32 answers. */
    private static void runClients(InetSocketAddress server, AtomicBoolean stop, AtomicReference<Throwable> failure) {
        DatagramSocket[] sockets = new DatagramSocket[CLIENTS];
        try {
            for (int c = 0; c < CLIENTS; c++) {
                sockets[c] = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                sockets[c].setSoTimeout(5_000);
            }
            byte[] out = new byte[32];
            byte[] in = new byte[64];
            ByteBuffer outView = ByteBuffer.wrap(out);
            DatagramPacket request = new DatagramPacket(out, out.length, server);
            DatagramPacket answer = new DatagramPacket(in, in.length);
            long seq = 0;
            for (int round = 0; round < (WARMUP + MEASURED) / CLIENTS && !stop.get(); round++) {
                long first = seq;
                for (int c = 0; c < CLIENTS; c++) {
                    outView.putLong(0, seq++);
                    sockets[c].send(request);
                }
                for (int c = 0; c < CLIENTS; c++) {
                    answer.setLength(in.length);
                    sockets[c].receive(answer);
                    long got = ByteBuffer.wrap(in).getLong(0);
                    if (answer.getLength() != 8 || got != first + c) {
                        throw new AssertionError("client " + c + " got " + got + " (" + answer.getLength()
                                + " bytes), expected " + (first + c));
                    }
                }
            }
        } catch (Throwable t) {
            failure.set(t);
            stop.set(true);
        } finally {
            for (DatagramSocket s : sockets) if (s != null) s.close();
        }
    }
}
