package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;

/**
 * A service that closes drains: its calls in progress finish within the grace period, new calls meet
 * BUSY (and are served by the service listened on again), and only what outlives the grace is aborted,
 * with RX_RESTARTING.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServiceDrainTest {
    private static final int SERVICE = 4747;
    private RxEndpoint server;
    private RxEndpoint client;
    private final BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() {
        server = new RxTransportImpl()
                .open(EndpointOptions.builder().serviceDrainMillis(1500).build());
        client = new RxTransportImpl().open(EndpointOptions.defaults());
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private RxService listen() {
        return server.listen(SERVICE, 4, (s, call, id) -> live.add(call), (call, id) -> {});
    }

    private RxCall start(byte[] request) throws InterruptedException {
        RxCall c = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
        c.send(request, 0, request.length, true);
        return c;
    }

    @Test
    void aCallInProgressFinishesAndTheCloseWaitsOnlyForIt() throws Exception {
        RxService s = listen();
        s.charge(1, (c, id) -> {}, null);
        RxCall c = start(new byte[] {7});
        RxCall served = live.poll(10, TimeUnit.SECONDS);
        assertNotNull(served);
        Thread replier = new Thread(() -> {
            try {
                Thread.sleep(300); // the reply comes while the service is closing
                TestCalls.echo(served);
                served.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        replier.start();
        long start = System.nanoTime();
        assertTrue(s.close(10, TimeUnit.SECONDS), "the call in progress ended within the grace period");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertArrayEquals(new byte[] {7}, TestCalls.readAll(c, 10));
        assertEquals(CallState.SUCCEEDED, c.state());
        assertTrue(tookMillis >= 250 && tookMillis < 1500, "close took " + tookMillis + " ms");
        replier.join();
    }

    @Test
    void newCallsWhileItDrainsMeetBusyAndTheServiceListenedOnAgainServesThem() throws Exception {
        RxService s = listen();
        s.charge(1, (c, id) -> {}, null);
        s.close(10, TimeUnit.SECONDS);
        RxCall c = start(new byte[] {9}); // refused BUSY, retried by the client
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.stats().get(Counter.BUSY_SENT) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(server.stats().get(Counter.BUSY_SENT) > 0, "BUSY, not an abort, while the service drains");
        RxService again = listen();
        again.charge(2, (x, id) -> {}, null);
        RxCall served = live.poll(10, TimeUnit.SECONDS);
        assertNotNull(served, "the retried call reached the service listened on again");
        TestCalls.echo(served);
        served.close();
        assertArrayEquals(new byte[] {9}, TestCalls.readAll(c, 10));
        assertEquals(0, server.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE));
    }

    @Test
    void whatOutlivesTheGracePeriodIsAbortedWithRxRestarting() throws Exception {
        RxService s = listen();
        s.charge(1, (c, id) -> {}, null);
        RxCall c = start(new byte[] {1});
        assertNotNull(live.poll(10, TimeUnit.SECONDS)); // never answered
        long start = System.nanoTime();
        assertTrue(s.close(10, TimeUnit.SECONDS));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c, 10));
        assertEquals(AbortCodes.RX_RESTARTING, e.abortCode());
        assertTrue(tookMillis >= 1400, "aborted only at the end of the grace period, after " + tookMillis + " ms");
    }

    @Test
    void afterTheGracePeriodTheServiceIsUnknown() throws Exception {
        RxService s = listen();
        s.close(10, TimeUnit.SECONDS);
        Thread.sleep(1700);
        RxCall c = start(new byte[] {1});
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(c, 10));
        assertEquals(AbortCodes.RX_INVALID_OPERATION, e.abortCode());
    }
}
