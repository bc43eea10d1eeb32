package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;

/**
 * rxperf is an event-loop handler: small calls of every operation are answered on the I/O thread (with
 * the exact reply the client verifies), large ones on handler threads, and switching the mode off serves
 * everything on handler threads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RxperfServesSmallCallsOnTheIoThreadTest {

    @Test
    void smallCallsOfEveryOperationAreAnsweredOnTheIoThreadAndLargeOnesOnHandlerThreads() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 8, 8, "rxperf", new RxperfHandler(true))) {
            RxperfClient c = new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT);
            for (int i = 0; i < 50; i++) c.call(Rxperf.OP_RPC, 4, 4, true);
            c.call(Rxperf.OP_RPC, 1000, 10_000, true);
            c.call(Rxperf.OP_SEND, 5000, 0, true);
            c.call(Rxperf.OP_RECV, 0, 16 * 1024, true);
            assertEquals(53, host.callsServedInline(), "every small call on the I/O thread");
            c.call(Rxperf.OP_RECV, 0, 1 << 20, true); // too large a reply to queue without waiting
            c.call(Rxperf.OP_SEND, 1 << 20, 0, true); // too large a request to gather
            c.call(Rxperf.OP_RPC, 4, 100_000, true);
            assertEquals(53, host.callsServedInline());
            assertEquals(56, host.callsServed());
            assertEquals(0, host.slowInlineCalls());
        }
    }

    @Test
    void aSmallRequestWithABadPayloadIsAbortedOnTheIoThread() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 8, 8, "rxperf", new RxperfHandler(true))) {
            var call = client.newCall(server.localAddress(), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null);
            java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(28)
                    .putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_RPC)
                    .putInt(65536)
                    .putInt(65536)
                    .putInt(4)
                    .putInt(4)
                    .putInt(0x7F7F7F7F); // not the pattern
            request.flip();
            call.send(request, true);
            RxCallAbortedException e =
                    assertThrows(RxCallAbortedException.class, () -> call.receiveMessage(100, 10, TimeUnit.SECONDS));
            assertEquals(Rxperf.ABORT_BAD_PAYLOAD, e.abortCode());
            call.close();
        }
    }

    @Test
    void withTheEventLoopOffEveryCallIsServedOnAHandlerThread() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 8, 8, "rxperf", new RxperfHandler(true), false)) {
            RxperfClient c = new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT);
            for (int i = 0; i < 20; i++) c.call(Rxperf.OP_RPC, 4, 4, true);
            assertEquals(20, host.callsServed());
            assertEquals(0, host.callsServedInline());
        }
    }
}
