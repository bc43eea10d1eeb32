package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;

/** rxperf serves no more than its limits, and stops sending the moment its client aborts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RxperfLimitsTest {

    @Test
    void aReplyOrRequestBeyondTheLimitIsAbortedBeforeAByteIsSent() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host = ServiceHost.serve(
                        server, Rxperf.SERVICE_ID, 4, 4, "rxperf", new RxperfHandler(false, 1 << 20, 1 << 20))) {
            RxperfClient c = new RxperfClient(client, server.localAddress(), CallOptions.DEFAULT);
            RxCallAbortedException e =
                    assertThrows(RxCallAbortedException.class, () -> c.call(Rxperf.OP_RECV, 0, 2L << 30, false));
            assertEquals(Rxperf.ABORT_TOO_LARGE, e.abortCode());
            assertEquals(0, server.stats().get(Counter.DATA_PACKETS_SENT), "nothing of the reply was sent");
            e = assertThrows(RxCallAbortedException.class, () -> c.call(Rxperf.OP_SEND, (1 << 20) + 1, 0, false));
            assertEquals(Rxperf.ABORT_TOO_LARGE, e.abortCode());
            c.call(Rxperf.OP_RPC, 1 << 20, 1 << 20, true); // at the limit: served
        }
    }

    @Test
    void theServerStopsSendingTheMomentTheClientAborts() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 4, 4, "rxperf", new RxperfHandler(false))) {
            RxCall call = client.newCall(server.localAddress(), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null);
            ByteBuffer request = ByteBuffer.allocate(20)
                    .putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_RECV)
                    .putInt(65536)
                    .putInt(65536)
                    .putInt(200 << 20); // a 200 MiB reply
            request.flip();
            call.send(request, true);
            ByteBuffer sink = ByteBuffer.allocate(64 << 10);
            long read = 0;
            while (read < 1 << 20) {
                sink.clear();
                read += Math.max(0, call.receive(sink, 10, TimeUnit.SECONDS));
            }
            call.abort(12345);
            Thread.sleep(200); // the ABORT arrives; packets already on the wire may still come
            long sentThen = server.stats().get(Counter.DATA_PACKETS_SENT);
            Thread.sleep(500);
            long sentAfter = server.stats().get(Counter.DATA_PACKETS_SENT) - sentThen;
            assertEquals(0, sentAfter, "DATA sent after the abort arrived");
            assertTrue(sentThen < (200 << 20) / 1412, "far from the whole reply: " + sentThen + " packets");
            call.close();
        }
    }
}
