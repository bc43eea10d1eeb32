package org.rxrpc.transport.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.io.NativeLibraryRequired.pattern;
import static org.rxrpc.transport.io.NativeLibraryRequired.udp;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NativeDatagramIoWakesAndClosesTest {

    @BeforeAll
    static void library() {
        NativeLibraryRequired.require();
    }

    private static long millisOf(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aWakeupBeforeAwaitEndsTheNextAwaitAtOnceAndOnlyThatOne() throws Exception {
        try (NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 65536)) {
            io.wakeup();
            io.wakeup();
            io.wakeup();
            assertTrue(millisOf(() -> io.await(10_000)) < 2_000, "the pending wakeup ends the wait");
            long waited = millisOf(() -> io.await(300));
            assertTrue(waited >= 250, "the wakeups were drained: the next await runs to its timeout, " + waited);
        }
    }

    @Test
    void aWakeupFromAnotherThreadEndsAnAwaitInProgress() throws Exception {
        try (NativeDatagramIo io = new NativeDatagramIo("::1", 0, 65536)) {
            CompletableFuture<Void> waker = CompletableFuture.runAsync(() -> {
                sleep(300);
                io.wakeup();
            });
            long waited = millisOf(() -> io.await(20_000));
            assertTrue(waited >= 250 && waited < 5_000, "woken after about 300 ms: " + waited);
            waker.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDatagramEndsAnAwait() throws Exception {
        try (NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 65536);
                NioDatagramIo peer = new NioDatagramIo("127.0.0.1", 0, 65536)) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                sleep(200);
                try {
                    peer.send(pattern(8, 0), 8, udp(io.localAddress()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(millisOf(() -> io.await(20_000)) < 5_000);
            assertEquals(1, io.receive(new ReceiveBatch(2)));
            sender.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aZeroOrNegativeTimeoutDoesNotMeanForever() throws Exception {
        try (NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 65536)) {
            assertTrue(millisOf(() -> io.await(0)) < 2_000);
            assertTrue(millisOf(() -> io.await(-5)) < 2_000);
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsAreRefusedOrHarmless() throws Exception {
        NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 65536);
        int port = io.localAddress().getPort();
        io.close();
        assertDoesNotThrow(io::close);
        assertDoesNotThrow(io::wakeup);
        assertEquals(-1, io.receiveBufferSize());
        assertThrows(ClosedChannelException.class, () -> io.receive(new ReceiveBatch(1)));
        assertThrows(ClosedChannelException.class, () -> io.await(10));
        assertThrows(ClosedChannelException.class, () -> io.send(pattern(8, 0), 8, udp(io.localAddress())));
        // the socket is really gone: its port can be bound again
        try (NativeDatagramIo again = new NativeDatagramIo("127.0.0.1", port, 65536)) {
            assertEquals(port, again.localAddress().getPort());
        }
    }

    @Test
    void closeFromAnotherThreadEndsAnAwaitInProgress() throws Exception {
        NativeDatagramIo io = new NativeDatagramIo("127.0.0.1", 0, 65536);
        CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
            sleep(300);
            io.close();
        });
        assertTrue(millisOf(() -> io.await(20_000)) < 5_000);
        closer.get(5, TimeUnit.SECONDS);
        assertThrows(ClosedChannelException.class, () -> io.await(10));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
