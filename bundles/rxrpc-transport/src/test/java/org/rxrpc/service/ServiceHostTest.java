package org.rxrpc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The serving support's worker and call slots ({@link ServiceHost}) over the real transport, listened on
 * as the transport's whiteboard does it (listen with the host's notifiers, then tell it {@code listening};
 * close the service, then tell it {@code closed}, then close the host): a client endpoint makes real
 * calls on loopback. What the worker charges, when it is woken, what the service's close discards, and
 * that every thread ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceHostTest {
    private static final int SERVICE = 2001;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private RxEndpoint server;
    private RxEndpoint client;
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final List<Hosted> opened = new ArrayList<>();
    private String name;
    /** User call IDs the service discarded, in order. */
    private final List<Long> discarded = new CopyOnWriteArrayList<>();

    /** A host and the service it is told of. */
    private record Hosted(ServiceHost host, RxService service) {
        void stop() {
            service.close();
            host.newCallNotifier().closed(service);
            host.close();
        }
    }

    @BeforeEach
    void open() {
        server = new RxTransportImpl()
                .open(EndpointOptions.defaults().withBind("127.0.0.1", 0).toBuilder()
                        .serviceDrainMillis(300)
                        .build());
        client = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        name = "servicehost-test-" + NAMES.incrementAndGet();
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Hosted h : opened) h.stop();
        callers.shutdownNow();
        assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS), "client threads did not end");
        client.close();
        server.close();
    }

    private Hosted start(int maxLiveCalls, int backlog, RxCallHandler handler) {
        ServiceHost host = new ServiceHost(name, maxLiveCalls, handler);
        RxService service = server.listen(SERVICE, backlog, host.newCallNotifier(), (call, id) -> {
            discarded.add(id);
            host.discardNotifier().discard(call, id);
        });
        host.newCallNotifier().listening(service);
        Hosted h = new Hosted(host, service);
        opened.add(h);
        return h;
    }

    @Test
    void theWorkerChargesOneCallPerIdleSlotAndNeverMoreThanTheBacklog() throws Exception {
        Hosted few = start(3, 8, ServiceHostTest::echo);
        awaitTrue(() -> few.service().chargedCalls() == 3, "3 slots: 3 charged");
        Thread.sleep(300);
        assertEquals(3, few.service().chargedCalls(), "no more while no slot is free");
        few.stop(); // the service closes: it can be listened on again
        opened.remove(few);

        Hosted many = start(8, 2, ServiceHostTest::echo);
        awaitTrue(() -> many.service().chargedCalls() == 2, "backlog 2: 2 charged");
        Thread.sleep(300);
        assertEquals(2, many.service().chargedCalls());
        assertEquals("hello", string(call(bytes("hello"))));
    }

    @Test
    void whileEverySlotIsBusyNothingIsChargedAndTheNextCallWaitsForAFreeOne() throws Exception {
        Semaphore gate = new Semaphore(0);
        AtomicInteger entered = new AtomicInteger();
        Hosted h = start(2, 8, call -> {
            byte[] request = readAll(call);
            entered.incrementAndGet();
            gate.acquire();
            call.send(request, 0, request.length, true);
        });
        awaitTrue(() -> h.service().chargedCalls() == 2, "both slots charged");

        Future<byte[]> first = callers.submit(() -> call(bytes("one")));
        Future<byte[]> second = callers.submit(() -> call(bytes("two")));
        awaitTrue(() -> entered.get() == 2, "both calls are being served");
        assertEquals(2, h.host().liveCalls());
        assertEquals(0, h.service().chargedCalls(), "no slot free: nothing charged");

        Future<byte[]> third = callers.submit(() -> call(bytes("three")));
        Thread.sleep(500);
        assertEquals(2, entered.get(), "the third call waits: no handler took it");
        assertEquals(0, h.service().chargedCalls());

        gate.release(); // one call ends: the worker charges its slot, the third call is served
        awaitTrue(() -> entered.get() == 3, "the third call reached a handler");
        gate.release(2);
        assertEquals(
                List.of("one", "two", "three"),
                List.of(
                        string(first.get(60, TimeUnit.SECONDS)),
                        string(second.get(60, TimeUnit.SECONDS)),
                        string(third.get(60, TimeUnit.SECONDS))));
        awaitTrue(() -> h.host().callsServed() == 3 && h.host().liveCalls() == 0, "3 served, none live");
        awaitTrue(() -> h.service().chargedCalls() == 2, "both slots charged again");
    }

    /**
     * The worker parks for up to 500 ms between rounds; a call that ends wakes it, so its slot is charged
     * again at once. Measured over 9 calls: without the wake-up the median would be about 450 ms here.
     */
    @Test
    void aCallThatEndsWakesTheWorkerToChargeItsSlotAtOnce() throws Exception {
        Semaphore gate = new Semaphore(0);
        AtomicLong returnedAt = new AtomicLong();
        Hosted h = start(1, 8, call -> {
            byte[] request = readAll(call);
            gate.acquire();
            call.send(request, 0, request.length, true);
            returnedAt.set(System.nanoTime());
        });
        RxService service = h.service();
        awaitTrue(() -> service.chargedCalls() == 1, "charged");
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String request = "call " + i;
            Future<byte[]> reply = callers.submit(() -> call(bytes(request)));
            awaitTrue(() -> h.host().liveCalls() == 1 && service.chargedCalls() == 0, "served, nothing charged");
            Thread.sleep(50); // the worker has found no free slot and parked
            gate.release();
            awaitTrue(() -> service.chargedCalls() == 1, "charged again");
            micros.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - returnedAt.get()));
            assertNotNull(reply.get(60, TimeUnit.SECONDS));
            awaitTrue(() -> h.host().liveCalls() == 0, "call ended");
        }
        Collections.sort(micros);
        assertTrue(micros.get(4) < 100_000, "median recharge after a call ended: " + micros + " us");
    }

    @Test
    void closingTheServiceDiscardsEveryChargedCallOnceAndTheHostEndsEveryThread() throws Exception {
        AtomicInteger served = new AtomicInteger();
        Hosted h = start(3, 8, call -> served.incrementAndGet());
        awaitTrue(() -> h.service().chargedCalls() == 3, "3 charged");
        assertEquals(List.of(name), threads(), "the worker only: handler threads start with their first call");

        opened.remove(h);
        h.stop();
        List<Long> ids = new ArrayList<>(discarded);
        Collections.sort(ids);
        assertEquals(List.of(0L, 1L, 2L), ids, "each charged slot discarded once");
        assertEquals(0, served.get());
        assertEquals(0, h.host().liveCalls());
        assertEquals(List.of(), threads(), "every thread ended");
        assertEquals(null, h.host().service(), "told the service closed");
        assertThrows(RuntimeException.class, () -> h.service().charge(9, (c, id) -> {}, null));
        h.host().close(); // again: nothing happens
    }

    @Test
    void closingWhileACallIsServedEndsTheCallAfterTheDrainAndEndsTheHandlerThread() throws Exception {
        Semaphore entered = new Semaphore(0);
        Hosted h = start(2, 8, call -> {
            readAll(call);
            entered.release();
            new Semaphore(0).acquire(); // blocks until interrupted
        });
        awaitTrue(() -> h.service().chargedCalls() == 2, "charged");
        Future<byte[]> reply = callers.submit(() -> call(bytes("stuck")));
        assertTrue(entered.tryAcquire(30, TimeUnit.SECONDS), "the call reached its handler");
        assertEquals(List.of(name, name + "-call-0"), threads());

        opened.remove(h);
        long t0 = System.nanoTime();
        h.stop();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "stopping took too long");
        assertEquals(List.of(), threads());
        assertEquals(1, discarded.size(), "the other charged slot was discarded: " + discarded);
        Exception e = assertThrows(Exception.class, () -> reply.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof RxCallAbortedException, String.valueOf(e.getCause()));
        assertEquals(AbortCodes.RX_RESTARTING, ((RxCallAbortedException) e.getCause()).abortCode());
        assertEquals(0, h.host().liveCalls());
    }

    @Test
    void aHandlerThatFailsAbortsItsCallWithItsCodeOrUserAbortAndItsSlotServesTheNextOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Hosted h = start(1, 8, call -> {
            byte[] request = readAll(call);
            int n = calls.incrementAndGet();
            if (n == 1) throw new IllegalStateException("the handler's bug");
            if (n == 2) throw new RxAbortException(4242, "no such volume");
            call.send(request, 0, request.length, true);
        });
        awaitTrue(() -> h.service().chargedCalls() == 1, "charged");
        RxCallAbortedException bug = assertThrows(RxCallAbortedException.class, () -> call(bytes("first")));
        assertEquals(AbortCodes.RX_USER_ABORT, bug.abortCode());
        RxCallAbortedException own = assertThrows(RxCallAbortedException.class, () -> call(bytes("second")));
        assertEquals(4242, own.abortCode());
        assertEquals("third", string(call(bytes("third"))));
        awaitTrue(() -> h.host().callsServed() == 1, "one served");
    }

    // ---- event-loop handlers ----

    /** An event-loop echo: answers on the I/O thread unless {@code declines} says otherwise. */
    private static final class InlineEcho implements RxEventLoopHandler {
        final List<String> inlineThreads = new CopyOnWriteArrayList<>();
        final AtomicInteger handled = new AtomicInteger();
        final int maxInline;
        final java.util.function.Predicate<java.nio.ByteBuffer> declines;

        InlineEcho(int maxInline, java.util.function.Predicate<java.nio.ByteBuffer> declines) {
            this.maxInline = maxInline;
            this.declines = declines;
        }

        @Override
        public int maxInlineRequestBytes() {
            return maxInline;
        }

        @Override
        public boolean onRequest(RxCall call, java.nio.ByteBuffer request) throws Exception {
            inlineThreads.add(Thread.currentThread().getName());
            if (declines.test(request)) return false;
            call.send(request, true);
            return true;
        }

        @Override
        public void handle(RxCall call) throws InterruptedException {
            handled.incrementAndGet();
            echo(call);
        }
    }

    @Test
    void anEventLoopHandlerAnswersOnTheIoThreadAndNeedsNoHandlerThread() throws Exception {
        InlineEcho handler = new InlineEcho(16 * 1024, r -> false);
        Hosted h = start(4, 8, handler);
        awaitTrue(() -> h.service().chargedCalls() == 4, "charged");
        for (int i = 0; i < 200; i++) assertEquals("call " + i, string(call(bytes("call " + i))));
        assertEquals(0, handler.handled.get(), "no call went to handle()");
        assertEquals(200, h.host().callsServedInline());
        assertEquals(200, h.host().callsServed());
        assertEquals(0, h.host().handlerThreads(), "no handler thread was started");
        assertTrue(handler.inlineThreads.stream().allMatch(n -> n.startsWith("rx-io-")), "on the I/O thread");
        awaitTrue(() -> h.host().liveCalls() == 0, "none live");
    }

    @Test
    void aRequestLongerThanTheInlineLimitReachesHandleWholeFromItsFirstByte() throws Exception {
        InlineEcho handler = new InlineEcho(1000, r -> false);
        Hosted h = start(2, 8, handler);
        awaitTrue(() -> h.service().chargedCalls() == 2, "charged");
        byte[] big = new byte[100_000];
        new java.util.Random(7).nextBytes(big);
        org.junit.jupiter.api.Assertions.assertArrayEquals(big, call(big));
        assertEquals(1, handler.handled.get());
        assertEquals(0, h.host().callsServedInline());
        assertEquals("short", string(call(bytes("short"))), "and the next small one inline again");
        awaitTrue(() -> h.host().callsServedInline() == 1, "served inline");
    }

    @Test
    void aRequestTheHandlerDeclinesOnTheIoThreadReachesHandleWhole() throws Exception {
        InlineEcho handler = new InlineEcho(16 * 1024, r -> r.get(r.position()) == 'T');
        Hosted h = start(2, 8, handler);
        awaitTrue(() -> h.service().chargedCalls() == 2, "charged");
        assertEquals("Threaded", string(call(bytes("Threaded"))));
        assertEquals("inline", string(call(bytes("inline"))));
        assertEquals(1, handler.handled.get());
        awaitTrue(() -> h.host().callsServed() == 2 && h.host().callsServedInline() == 1, "one of each");
    }

    @Test
    void anEventLoopHandlerThatFailsOrBlocksIsAbortedOrCountedAndTheNextCallIsServed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RxEventLoopHandler handler = new RxEventLoopHandler() {
            @Override
            public boolean onRequest(RxCall call, java.nio.ByteBuffer request) throws Exception {
                int n = calls.incrementAndGet();
                if (n == 1) throw new RxAbortException(4242, "no such volume");
                if (n == 2) throw new IllegalStateException("the handler's bug");
                if (n == 3) Thread.sleep(20); // holds the I/O thread: counted, logged
                call.send(request, true);
                return true;
            }

            @Override
            public void handle(RxCall call) {
                throw new AssertionError("not used");
            }
        };
        Hosted h = start(1, 8, handler);
        awaitTrue(() -> h.service().chargedCalls() == 1, "charged");
        RxCallAbortedException own = assertThrows(RxCallAbortedException.class, () -> call(bytes("first")));
        assertEquals(4242, own.abortCode());
        RxCallAbortedException bug = assertThrows(RxCallAbortedException.class, () -> call(bytes("second")));
        assertEquals(AbortCodes.RX_USER_ABORT, bug.abortCode());
        assertEquals("slow", string(call(bytes("slow"))));
        assertEquals("fourth", string(call(bytes("fourth"))));
        assertEquals(1, h.host().slowInlineCalls(), "the call that held the I/O thread 20 ms");
    }

    @Test
    void anInlineReplyTooLargeToQueueWithoutWaitingAbortsTheCall() throws Exception {
        RxEventLoopHandler handler = new RxEventLoopHandler() {
            @Override
            public boolean onRequest(RxCall call, java.nio.ByteBuffer request) throws Exception {
                call.send(java.nio.ByteBuffer.allocate(1 << 20), true); // 1 MiB: more than the ring holds
                return true;
            }

            @Override
            public void handle(RxCall call) {
                throw new AssertionError("not used");
            }
        };
        Hosted h = start(1, 8, handler);
        awaitTrue(() -> h.service().chargedCalls() == 1, "charged");
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> call(bytes("x")));
        assertEquals(AbortCodes.RX_USER_ABORT, e.abortCode());
        awaitTrue(() -> h.host().liveCalls() == 0 && h.service().chargedCalls() == 1, "slot free, charged again");
    }

    // ---- helpers ----

    /** The host's threads still alive: the worker (named after the host) and the handlers. */
    private List<String> threads() {
        List<String> alive = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            if (t.isAlive() && (n.equals(name) || n.startsWith(name + "-call-"))) alive.add(n);
        }
        Collections.sort(alive);
        return alive;
    }

    private static void echo(RxCall call) throws InterruptedException {
        byte[] request = readAll(call);
        call.send(request, 0, request.length, true);
    }

    /** A client call: the request, then the whole reply. */
    private byte[] call(byte[] request) throws InterruptedException {
        try (RxCall call = client.newCall(
                server.localAddress(), SERVICE, CallOptions.DEFAULT.withHardTimeoutMillis(60_000), null)) {
            call.send(request, 0, request.length, true);
            return readAll(call);
        }
    }

    private static byte[] readAll(RxCall call) throws InterruptedException {
        return call.receiveMessage(1 << 20, 60, TimeUnit.SECONDS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() - deadline < 0, "not within 30 s: " + what);
            TimeUnit.MICROSECONDS.sleep(200);
        }
    }
}
