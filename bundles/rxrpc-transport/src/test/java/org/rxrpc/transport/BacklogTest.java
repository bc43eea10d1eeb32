package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallIdInUseException;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxUserService;
import org.rxrpc.api.ServiceClosedException;

/** The seed's mechanism: listen, charge, accept / reject, discard, and BUSY when the rings are empty. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BacklogTest {
    private static final int SERVICE = 4242;
    private RxEndpoint server;
    private RxEndpoint client;
    private final BlockingQueue<RxCall> madeLive = new LinkedBlockingQueue<>();
    private final List<Long> discarded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        // The seed's behaviour: an empty backlog answers BUSY at once (deferral is tested separately).
        server = new RxTransportImpl()
                .open(EndpointOptions.builder()
                        .newCallDeferMillis(0)
                        .serviceDrainMillis(300)
                        .build());
        client = new RxTransportImpl().open(EndpointOptions.defaults());
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private RxService listen(int backlog) {
        return server.listen(SERVICE, backlog, (svc, call, id) -> madeLive.add(call), (call, id) -> discarded.add(id));
    }

    private RxCall clientCall(CallOptions options) {
        return client.newCall(server.localAddress(), SERVICE, options, null);
    }

    @Test
    void backlogOutsideOneToThirtyTwoIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> listen(0));
        assertThrows(IllegalArgumentException.class, () -> listen(33));
        assertThrows(IllegalArgumentException.class, () -> server.listenUser(SERVICE, 0, true));
        assertThrows(IllegalArgumentException.class, () -> server.listenUser(SERVICE, 33, true));
        RxService s = listen(32);
        for (int i = 0; i < 32; i++) s.charge(i, (c, id) -> {}, null);
        assertEquals(32, s.chargedCalls());
        assertThrows(BacklogFullException.class, () -> s.charge(99, (c, id) -> {}, null));
    }

    @Test
    void listenWithoutNotifiersIsRefused() {
        assertThrows(NullPointerException.class, () -> server.listen(SERVICE, 4, null, (c, id) -> {}));
        assertThrows(NullPointerException.class, () -> server.listen(SERVICE, 4, (s, c, id) -> {}, null));
    }

    @Test
    void duplicateCallIdAndFullBacklogAreDistinctErrors() {
        RxService s = listen(2);
        s.charge(7, (c, id) -> {}, null);
        assertThrows(CallIdInUseException.class, () -> s.charge(7, (c, id) -> {}, null));
        s.charge(8, (c, id) -> {}, null);
        assertThrows(BacklogFullException.class, () -> s.charge(9, (c, id) -> {}, null));
    }

    @Test
    void attachHandsOverTheCallBeforeChargeReturns() {
        RxService s = listen(2);
        RxCall[] attached = new RxCall[1];
        s.charge(5, (c, id) -> attached[0] = c, null);
        assertNotNull(attached[0]);
        assertEquals(5, attached[0].userCallId());
        assertEquals(CallState.PREALLOCATED, attached[0].state());
    }

    @Test
    void chargedCallIsMadeLiveAndNotifiedThenItsIdIsFreeAfterClose() throws Exception {
        RxService s = listen(4);
        s.charge(1, (c, id) -> {}, null);
        RxCall c = clientCall(CallOptions.DEFAULT);
        c.send(java.nio.ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), true);
        RxCall live = madeLive.poll(10, TimeUnit.SECONDS);
        assertNotNull(live);
        assertEquals(1, live.userCallId());
        assertEquals(0, s.chargedCalls());
        TestCalls.echo(live);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(c, 10));
        assertThrows(CallIdInUseException.class, () -> s.charge(1, (x, id) -> {}, null));
        live.close();
        s.charge(1, (x, id) -> {}, null);
        assertEquals(1, server.stats().get(Counter.CALLS_MADE_LIVE));
    }

    @Test
    void anAbortCodeGivenBeforeCloseIsTheOneTheClientSees() throws Exception {
        RxService s = listen(2);
        s.charge(1, (c, id) -> {}, null);
        RxCall c = clientCall(CallOptions.DEFAULT);
        c.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
        RxCall live = madeLive.poll(10, TimeUnit.SECONDS);
        live.abort(4321);
        live.close(); // must not replace the pending code with RX_USER_ABORT
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c, 10));
        assertEquals(4321, e.abortCode());
        assertEquals(CallState.REMOTELY_ABORTED, e.state());
    }

    @Test
    void closingTheServiceDiscardsEachChargedCallExactlyOnce() throws Exception {
        RxService s = listen(8);
        for (long id = 100; id < 105; id++) s.charge(id, (c, x) -> {}, null);
        RxCall c1 = clientCall(CallOptions.DEFAULT);
        c1.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
        RxCall live = madeLive.poll(10, TimeUnit.SECONDS);
        assertNotNull(live);
        s.close();
        s.close(); // idempotent
        assertEquals(4, discarded.size(), discarded.toString());
        Set<Long> unique = new TreeSet<>(discarded);
        assertEquals(4, unique.size());
        unique.add(live.userCallId());
        assertEquals(Set.of(100L, 101L, 102L, 103L, 104L), unique);
        // The call in progress, never answered, was aborted at the end of the drain with a defined code.
        assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c1, 10));
        assertEquals(AbortCodes.RX_RESTARTING, c1.abortCode());
        assertThrows(ServiceClosedException.class, () -> s.charge(200, (c, x) -> {}, null));
    }

    @Test
    void closingTheEndpointDiscardsThePreallocation() {
        RxService s = listen(8);
        for (long id = 1; id <= 3; id++) s.charge(id, (c, x) -> {}, null);
        server.close();
        assertEquals(List.of(1L, 2L, 3L), discarded);
        assertThrows(ServiceClosedException.class, () -> s.charge(9, (c, x) -> {}, null));
    }

    @Test
    void emptyRingsAnswerBusyAndTheCallIsServedOnceRecharged() throws Exception {
        RxService s = listen(1);
        RxCall first = clientCall(CallOptions.DEFAULT);
        first.send(java.nio.ByteBuffer.wrap("one".getBytes(StandardCharsets.US_ASCII)), true);
        // Nothing charged: the server answers BUSY and the client keeps retrying the same call.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().get(Counter.BUSY_SENT) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(server.stats().get(Counter.BUSY_SENT) > 0);
        assertTrue(client.stats().get(Counter.BUSY_RECEIVED) > 0);
        assertEquals(CallState.CLIENT_SENDING_REQUEST, first.state());
        s.charge(1, (c, x) -> {}, null);
        RxCall live = madeLive.poll(10, TimeUnit.SECONDS);
        assertNotNull(live);
        TestCalls.echo(live);
        assertArrayEquals("one".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(first, 10));
        assertEquals(1, server.stats().get(Counter.CALLS_MADE_LIVE));
    }

    @Test
    void aCallFindingTheBacklogEmptyIsKeptAndGoesLiveOnTheNextChargeWithoutBusy() throws Exception {
        try (RxEndpoint deferring =
                new RxTransportImpl().open(EndpointOptions.defaults().withNewCallDeferMillis(5000))) {
            RxService s = deferring.listen(SERVICE, 2, (svc, call, id) -> madeLive.add(call), (call, id) -> {});
            RxCall c = client.newCall(deferring.localAddress(), SERVICE, CallOptions.DEFAULT, null);
            c.send(java.nio.ByteBuffer.wrap("kept".getBytes(StandardCharsets.US_ASCII)), true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (deferring.stats().get(Counter.CALLS_DEFERRED) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, deferring.stats().get(Counter.CALLS_DEFERRED));
            Thread.sleep(200);
            s.charge(3, (call, id) -> {}, null);
            RxCall live = madeLive.poll(2, TimeUnit.SECONDS);
            assertNotNull(live, "the kept call went live as soon as it was charged");
            TestCalls.echo(live);
            assertArrayEquals("kept".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(c, 5));
            assertEquals(0, deferring.stats().get(Counter.BUSY_SENT));
            assertEquals(0, client.stats().get(Counter.BUSY_RECEIVED));
        }
    }

    @Test
    void aKeptCallIsAnsweredBusyWhenNoChargeComesInTime() throws Exception {
        try (RxEndpoint deferring =
                new RxTransportImpl().open(EndpointOptions.defaults().withNewCallDeferMillis(200))) {
            RxService s = deferring.listen(SERVICE, 1, (svc, call, id) -> madeLive.add(call), (call, id) -> {});
            RxCall c = client.newCall(deferring.localAddress(), SERVICE, CallOptions.DEFAULT, null);
            c.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (deferring.stats().get(Counter.BUSY_SENT) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertTrue(deferring.stats().get(Counter.BUSY_SENT) > 0);
            s.charge(1, (call, id) -> {}, null);
            RxCall live = madeLive.poll(5, TimeUnit.SECONDS);
            assertNotNull(live, "the client retried after BUSY and was served");
            TestCalls.echo(live);
            assertArrayEquals(new byte[] {1}, TestCalls.readAll(c, 5));
        }
    }

    @Test
    void aCallRefusedBusyForTooLongEndsBusyWithoutRunning() throws Exception {
        listen(1);
        RxCall c = clientCall(CallOptions.DEFAULT.withBusyRetryMillis(300));
        c.send(java.nio.ByteBuffer.wrap(new byte[] {1, 2}), true);
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c, 10));
        assertEquals(CallState.BUSY, e.state());
        assertEquals(AbortCodes.RX_CALL_BUSY, c.abortCode());
        assertEquals(0, server.stats().get(Counter.CALLS_MADE_LIVE));
    }

    @Test
    void userSocketAcceptTakesTheOldestAndRecharges() throws Exception {
        RxUserService s = server.listenUser(SERVICE, 2, true);
        RxCall a = clientCall(CallOptions.DEFAULT);
        a.send(java.nio.ByteBuffer.wrap("a".getBytes(StandardCharsets.US_ASCII)), true);
        waitForPending(s, 1);
        RxCall b = clientCall(CallOptions.DEFAULT);
        b.send(java.nio.ByteBuffer.wrap("b".getBytes(StandardCharsets.US_ASCII)), true);
        waitForPending(s, 2);
        RxCall first = s.accept(11, null, 5, TimeUnit.SECONDS);
        assertEquals(11, first.userCallId());
        TestCalls.echo(first);
        assertArrayEquals("a".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(a, 5));
        RxCall second = s.accept(12, null, 5, TimeUnit.SECONDS);
        TestCalls.echo(second);
        assertArrayEquals("b".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(b, 5));
        assertNull(s.accept(13, null, 100, TimeUnit.MILLISECONDS));
        // Accepting recharged: two more calls are taken without BUSY.
        for (int i = 0; i < 2; i++) {
            RxCall c = clientCall(CallOptions.DEFAULT);
            c.send(java.nio.ByteBuffer.wrap(new byte[] {(byte) i}), true);
            RxCall served = s.accept(20 + i, null, 5, TimeUnit.SECONDS);
            TestCalls.echo(served);
            assertArrayEquals(new byte[] {(byte) i}, TestCalls.readAll(c, 5));
            served.close();
        }
        assertEquals(0, server.stats().get(Counter.BUSY_SENT));
    }

    @Test
    void userSocketRejectAbortsTheClientWithTheCodeAndRecharges() throws Exception {
        RxUserService s = server.listenUser(SERVICE, 1, true);
        RxCall c = clientCall(CallOptions.DEFAULT);
        c.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
        waitForPending(s, 1);
        assertTrue(s.reject(4711));
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c, 10));
        assertEquals(CallState.REMOTELY_ABORTED, e.state());
        assertEquals(4711, e.abortCode());
        assertTrue(!s.reject(1));
        RxCall again = clientCall(CallOptions.DEFAULT);
        again.send(java.nio.ByteBuffer.wrap(new byte[] {2}), true);
        RxCall served = s.accept(1, null, 5, TimeUnit.SECONDS);
        assertNotNull(served, "reject recharged the backlog");
        TestCalls.echo(served);
    }

    @Test
    void manualChargeSkipsAcceptAndKeepsItsId() throws Exception {
        RxUserService s = server.listenUser(SERVICE, 2, false);
        assertEquals(0, s.pendingCalls());
        s.chargeAccept(77, null);
        assertThrows(CallIdInUseException.class, () -> s.chargeAccept(77, null));
        s.chargeAccept(78, null);
        assertThrows(BacklogFullException.class, () -> s.chargeAccept(79, null));
        RxCall a = clientCall(CallOptions.DEFAULT);
        a.send(java.nio.ByteBuffer.wrap("m".getBytes(StandardCharsets.US_ASCII)), true);
        RxCall live = s.nextChargedCall(5, TimeUnit.SECONDS);
        assertNotNull(live);
        assertEquals(77, live.userCallId(), "the oldest charge is used first");
        assertNull(s.accept(1, null, 100, TimeUnit.MILLISECONDS), "nothing waits for accept");
        TestCalls.echo(live);
        assertArrayEquals("m".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(a, 5));
        live.close();
        s.chargeAccept(77, null); // the ID is free again once the call is closed
        RxCall b = clientCall(CallOptions.DEFAULT);
        b.send(java.nio.ByteBuffer.wrap("n".getBytes(StandardCharsets.US_ASCII)), true);
        RxCall second = s.nextChargedCall(5, TimeUnit.SECONDS);
        assertEquals(78, second.userCallId());
        TestCalls.echo(second);
        assertArrayEquals("n".getBytes(StandardCharsets.US_ASCII), TestCalls.readAll(b, 5));
    }

    private static void waitForPending(RxUserService s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (s.pendingCalls() < n && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(n, s.pendingCalls());
    }

    @Test
    void closedServiceMakesAcceptFail() throws Exception {
        RxUserService s = server.listenUser(SERVICE, 2, true);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RxCall> waiting = pool.submit(() -> s.accept(1, null, 30, TimeUnit.SECONDS));
            Thread.sleep(100);
            s.close();
            java.util.concurrent.ExecutionException e = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof ServiceClosedException, e.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
