package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;

/**
 * A new call that finds the backlog empty is kept, and the recharge its owner makes in answer to the
 * previous call's notification serves it at once: no window in which a charge and a kept call sit side
 * by side, and supply is tried before expiry.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeptCallReplayTest {
    private static final int SERVICE = 4343;
    private static final long DEFER_MILLIS = 1000;
    private static final int ROUNDS = 300;

    @Test
    void twoCallsAtOnceOnABacklogOfOneAreBothServedWithoutBusyAndTheSecondWaitsOnlyForTheRecharge() throws Exception {
        try (RxEndpoint server =
                        new RxTransportImpl().open(EndpointOptions.defaults().withNewCallDeferMillis(DEFER_MILLIS));
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults())) {
            BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
            AtomicLong ids = new AtomicLong();
            AtomicLong lastLive = new AtomicLong();
            Thread[] worker = new Thread[1];
            RxService service = server.listen(
                    SERVICE,
                    1,
                    (svc, call, id) -> {
                        lastLive.set(System.nanoTime());
                        live.add(call);
                        LockSupport.unpark(worker[0]); // recharge on each notification
                    },
                    (call, id) -> {});
            worker[0] = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        if (service.chargedCalls() == 0) service.charge(ids.incrementAndGet(), (c, id) -> {}, null);
                    } catch (BacklogFullException | org.rxrpc.api.ServiceClosedException e) {
                        // full, or closing at the end of the test
                    }
                    LockSupport.park();
                }
            });
            worker[0].start();
            Thread handler = new Thread(() -> {
                try {
                    while (true) {
                        // Reply only once both calls are live: then nothing but the recharge can
                        // make the I/O thread look at the kept second call.
                        RxCall a = live.take();
                        RxCall b = live.take();
                        TestCalls.echo(a);
                        TestCalls.echo(b);
                        a.close();
                        b.close();
                    }
                } catch (InterruptedException e) {
                    // end of test
                }
            });
            handler.start();
            try {
                long[] secondCallMicros = new long[ROUNDS];
                long[] liveMicros = new long[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    while (service.chargedCalls() == 0) Thread.onSpinWait();
                    long start = System.nanoTime();
                    RxCall first = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
                    RxCall second = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
                    first.send(java.nio.ByteBuffer.wrap(new byte[] {1}), true);
                    second.send(java.nio.ByteBuffer.wrap(new byte[] {2}), true);
                    assertArrayEquals(new byte[] {1}, TestCalls.readAll(first, 10));
                    assertArrayEquals(new byte[] {2}, TestCalls.readAll(second, 10));
                    secondCallMicros[round] = (System.nanoTime() - start) / 1000;
                    liveMicros[round] = (lastLive.get() - start) / 1000; // the second of the two
                    first.close();
                    second.close();
                }
                Arrays.sort(liveMicros);
                Arrays.sort(secondCallMicros);
                System.out.printf(
                        "two calls on backlog 1, %d rounds: second call live after median %d us, max %d us;"
                                + " both done after median %d us, max %d us; deferred %d, BUSY %d%n",
                        ROUNDS,
                        liveMicros[ROUNDS / 2],
                        liveMicros[ROUNDS - 1],
                        secondCallMicros[ROUNDS / 2],
                        secondCallMicros[ROUNDS - 1],
                        server.stats().get(Counter.CALLS_DEFERRED),
                        server.stats().get(Counter.BUSY_SENT));
                assertEquals(0, server.stats().get(Counter.BUSY_SENT), "no call was refused");
                assertEquals(0, client.stats().get(Counter.BUSY_RECEIVED));
                assertEquals(2L * ROUNDS, server.stats().get(Counter.CALLS_MADE_LIVE));
                // The second call waits for one recharge, never for the deferral to run out.
                long max = liveMicros[ROUNDS - 1];
                assertTrue(max < DEFER_MILLIS * 1000 / 5, "the second call went live only after " + max + " us");
            } finally {
                worker[0].interrupt();
                handler.interrupt();
                service.close();
                worker[0].join(5000);
                handler.join(5000);
            }
        }
    }
}
