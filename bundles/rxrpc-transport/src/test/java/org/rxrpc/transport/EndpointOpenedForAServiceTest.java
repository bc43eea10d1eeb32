package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;

/**
 * The whiteboard opens a port's endpoint and then listens: a call that arrives in between (a client of a
 * restarted service, retrying) meets BUSY and is served once the service listens, not aborted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndpointOpenedForAServiceTest {
    private static final int SERVICE = 4848;

    @Test
    void aCallArrivingBeforeTheServiceListensMeetsBusyAndIsServedOnceItDoes() throws Exception {
        RxEndpoint server = new RxTransportImpl().openForService(EndpointOptions.defaults());
        RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
        BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        try {
            RxCall c = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
            c.send(new byte[] {5}, 0, 1, true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.stats().get(Counter.BUSY_SENT) == 0 && System.nanoTime() < deadline) Thread.sleep(2);
            assertTrue(server.stats().get(Counter.BUSY_SENT) > 0, "BUSY while no service listens yet");

            RxService s = server.listen(SERVICE, 4, (svc, call, id) -> live.add(call), (call, id) -> {});
            s.charge(1, (x, id) -> {}, null);
            RxCall served = live.poll(10, TimeUnit.SECONDS);
            assertNotNull(served, "the retried call reached the service");
            TestCalls.echo(served);
            served.close();
            assertArrayEquals(new byte[] {5}, TestCalls.readAll(c, 10));
            assertEquals(CallState.SUCCEEDED, c.state());
            assertEquals(0, server.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE));
        } finally {
            client.close();
            server.close();
        }
    }

    @Test
    void anEndpointOpenedPlainlyAbortsACallForAServiceItDoesNotOffer() throws Exception {
        RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
        RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
        try {
            RxCall c = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
            c.send(new byte[] {5}, 0, 1, true);
            assertTrue(c.awaitCompletion(10, TimeUnit.SECONDS));
            assertEquals(CallState.REMOTELY_ABORTED, c.state());
            assertEquals(0, server.stats().get(Counter.BUSY_SENT));
        } finally {
            client.close();
            server.close();
        }
    }
}
