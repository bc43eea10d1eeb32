package org.rxrpc.rxperf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The Java client's payloads over real UDP: requests sent as a header and slices of the precomputed
 * pattern arrive as the pattern, byte for byte, whatever their length (a verifying server checks every
 * byte and aborts on the first wrong one); replies are checked byte for byte when verifying, and a wrong
 * byte is caught.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RxperfClientPayloadTest {
    /** Lengths around the slices (64 KiB), the pattern's period (251) and packets (1412). */
    private static final long[] LENGTHS = {0, 1, 250, 251, 1411, 1412, 65535, 65536, 65537, 200_003, 1 << 20};

    @Test
    void requestsAndRepliesOfAnyLengthCarryThePatternByteForByte() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 4, 4, "rxperf", new RxperfHandler(true));
                RxEndpoint clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults())) {
            RxperfClient client = new RxperfClient(clientEndpoint, server.localAddress(), CallOptions.DEFAULT);
            for (long n : LENGTHS) {
                client.call(Rxperf.OP_SEND, n, 0, true);
                client.call(Rxperf.OP_RECV, 0, n, true);
                client.call(Rxperf.OP_RPC, n, 333, true);
            }
            assertTrue(host.callsServed() >= 3L * LENGTHS.length, "every call served: " + host.callsServed());
        }
    }

    @Test
    void aWrongReplyByteIsCaughtWhenVerifying() throws Exception {
        // A server that sends the pattern with one byte changed, as a faulty peer would.
        RxCallHandler faulty = call -> {
            ByteBuffer request = ByteBuffer.allocate(64);
            while (call.receive(request, 5, TimeUnit.SECONDS) >= 0 && request.hasRemaining()) {}
            byte[] reply = new byte[100_000 + 4];
            Rxperf.fillPattern(reply, 0, 100_000, 0);
            reply[77_777] ^= 1;
            ByteBuffer.wrap(reply, 100_000, 4).putInt(Rxperf.COOKIE);
            call.send(reply, 0, reply.length, true);
        };
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host = ServiceHost.serve(server, Rxperf.SERVICE_ID, 2, 2, "faulty", faulty);
                RxEndpoint clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults())) {
            RxperfClient client = new RxperfClient(clientEndpoint, server.localAddress(), CallOptions.DEFAULT);
            RxperfClient.BadReplyException e = assertThrows(
                    RxperfClient.BadReplyException.class, () -> client.call(Rxperf.OP_RECV, 0, 100_000, true));
            assertTrue(e.getMessage().contains("reply byte 77777"), e.getMessage());
            client.call(Rxperf.OP_RECV, 0, 100_000, false); // not verifying: only the length and cookie count
        }
    }
}
