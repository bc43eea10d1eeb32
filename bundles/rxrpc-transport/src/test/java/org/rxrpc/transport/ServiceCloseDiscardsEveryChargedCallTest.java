package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceClosedException;

/**
 * Closing a service hands every charged call to the discard notifier exactly once, whatever the I/O
 * thread is doing: the wait for it is bounded and never skips the discard.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServiceCloseDiscardsEveryChargedCallTest {
    private static final int SERVICE = 4444;

    @Test
    void aNotifierBlockingTheIoThreadDelaysNoDiscard() throws Exception {
        Endpoint server = (Endpoint) new RxTransportImpl()
                .open(EndpointOptions.builder().serviceDrainMillis(200).build());
        Endpoint client = (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults());
        CountDownLatch inNotifier = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> discarded = new CopyOnWriteArrayList<>();
        try {
            RxService s = server.listen(
                    SERVICE,
                    4,
                    (svc, call, id) -> {
                        inNotifier.countDown();
                        try {
                            release.await(); // a notifier that blocks the I/O thread
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    (call, id) -> discarded.add(id));
            s.charge(1, (c, id) -> {}, null);
            s.charge(2, (c, id) -> {}, null);
            s.charge(3, (c, id) -> {}, null);
            RxCall c = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
            c.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
            assertTrue(inNotifier.await(10, TimeUnit.SECONDS));

            long start = System.nanoTime();
            boolean letGo = s.close(200, TimeUnit.MILLISECONDS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertFalse(letGo, "the I/O thread was stuck: the close reports that it was slow");
            assertTrue(tookMillis < 5000, "close returned after " + tookMillis + " ms");
            assertEquals(List.of(2L, 3L), discarded, "the calls still charged were discarded at once");
            assertThrows(ServiceClosedException.class, () -> s.charge(4, (x, id) -> {}, null));

            release.countDown(); // the I/O thread goes on: it must not hand out or discard anything again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!c.state().isComplete() && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(CallState.REMOTELY_ABORTED, c.state(), "the call in progress was aborted");
            s.close();
            assertEquals(List.of(2L, 3L), discarded);
        } finally {
            release.countDown();
            client.close();
            server.close();
        }
    }

    @Test
    void anIoThreadThatDiesWhileACloseWaitsForItStillGetsEveryChargedCallDiscarded() throws Exception {
        Endpoint server = (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults());
        List<Long> discarded = new CopyOnWriteArrayList<>();
        RxService a = server.listen(SERVICE, 4, (svc, call, id) -> {}, (call, id) -> discarded.add(id));
        RxService b = server.listen(SERVICE + 1, 4, (svc, call, id) -> {}, (call, id) -> discarded.add(id));
        a.charge(1, (c, id) -> {}, null);
        a.charge(2, (c, id) -> {}, null);
        b.charge(3, (c, id) -> {}, null);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch die = new CountDownLatch(1);
        server.submit(() -> {
            busy.countDown();
            try {
                die.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new AssertionError("test: the I/O thread dies with commands queued behind this one");
        });
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            Future<?> closing = closer.submit(server::close); // queues its commands behind the dying one
            Thread.sleep(100);
            die.countDown();
            closing.get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            List<Long> sorted = new ArrayList<>(discarded);
            sorted.sort(null);
            assertEquals(List.of(1L, 2L, 3L), sorted, "each charged call discarded exactly once");
            assertTrue(tookMillis < 5000, "close took " + tookMillis + " ms");
            assertTrue(server.isClosed());
            assertThrows(ServiceClosedException.class, () -> a.charge(9, (c, id) -> {}, null));
        } finally {
            closer.shutdownNow();
        }
    }
}
