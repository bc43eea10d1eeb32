package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;

/**
 * A client whose burst of new calls outruns its service's worker (the OpenAFS rxperf client at c=32 on a
 * busy CPU) is the only one waiting: every kept slot may hold its calls, so none meets BUSY, whose retry
 * costs an OpenAFS client 3.6 s. A newcomer still finds room: the lone source's youngest kept call goes
 * back to the end of the line for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ALoneSourcesBurstIsKeptWholeTest {
    private static final int SERVICE = 4545;
    private static final int BACKLOG = 8;

    @Test
    void aBurstFillingEveryKeptSlotFromOneSourceMeetsNoBusyAndANewcomerStillGetsASlot() throws Exception {
        try (RxEndpoint server = new RxTransportImpl()
                        .open(EndpointOptions.defaults()
                                .withBind("127.0.0.1", 0)
                                .withNewCallDeferMillis(10_000));
                RxEndpoint burst =
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
                RxEndpoint newcomer =
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
            RxService service = server.listen(SERVICE, BACKLOG, (svc, call, id) -> live.add(call), (call, id) -> {});
            Thread handler = new Thread(() -> {
                try {
                    while (true) {
                        RxCall c = live.take();
                        TestCalls.echo(c);
                        c.close();
                    }
                } catch (InterruptedException e) {
                    // end of test
                }
            });
            handler.start();
            try {
                // Nothing is charged yet: the whole burst is kept, none of it refused.
                List<RxCall> calls = new ArrayList<>();
                for (int i = 0; i < BACKLOG; i++) {
                    RxCall c = burst.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
                    c.send(ByteBuffer.wrap(new byte[] {(byte) i}), true);
                    calls.add(c);
                }
                awaitCount(server, Counter.CALLS_DEFERRED, BACKLOG);
                assertEquals(0, server.stats().get(Counter.BUSY_SENT), "a lone source's burst met BUSY");

                // A second source while every slot is taken: one of the burst's calls makes room for it.
                RxCall other = newcomer.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
                other.send(ByteBuffer.wrap(new byte[] {42}), true);
                awaitCount(server, Counter.CALLS_DEFERRED, BACKLOG + 1);
                assertEquals(1, server.stats().get(Counter.BUSY_SENT), "the burst gives up exactly one slot");

                // Charging serves them all; the refused one is served when it retries.
                long id = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int served = 0;
                while (served < BACKLOG + 1) {
                    assertTrue(System.nanoTime() < deadline, "only " + served + " calls served");
                    while (service.chargedCalls() < BACKLOG) service.charge(++id, (c, i) -> {}, null);
                    served = (int) server.stats().get(Counter.CALLS_MADE_LIVE);
                    Thread.sleep(5);
                }
                assertArrayEquals(new byte[] {42}, TestCalls.readAll(other, 10));
                for (int i = 0; i < BACKLOG; i++)
                    assertArrayEquals(new byte[] {(byte) i}, TestCalls.readAll(calls.get(i), 20));
                for (RxCall c : calls) c.close();
                other.close();
                service.close();
            } finally {
                handler.interrupt();
                handler.join(5000);
            }
        }
    }

    private static void awaitCount(RxEndpoint endpoint, Counter counter, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (endpoint.stats().get(counter) < n) {
            assertTrue(
                    System.nanoTime() < deadline,
                    counter + " is " + endpoint.stats().get(counter) + ", not " + n);
            Thread.sleep(2);
        }
    }
}
