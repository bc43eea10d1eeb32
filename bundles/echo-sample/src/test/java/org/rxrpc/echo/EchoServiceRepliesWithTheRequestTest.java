package org.rxrpc.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/** The echo sample over real UDP on loopback, served by the serving support without OSGi. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoServiceRepliesWithTheRequestTest {

    @Test
    void repliesWithTheRequestAndRefusesOneLongerThan64KiB() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost echo = ServiceHost.serve(server, 2000, 4, 4, "echo", new EchoService())) {
            for (int size : new int[] {0, 1, 1412, 1413, 65536}) {
                byte[] request = new byte[size];
                for (int i = 0; i < size; i++) request[i] = (byte) (i * 7);
                byte[] reply = client.call(server.localAddress(), 2000, request, 1 << 20, CallOptions.DEFAULT);
                assertArrayEquals(request, reply, "size " + size);
            }
            RxCallAbortedException e = assertThrows(
                    RxCallAbortedException.class,
                    () -> client.call(server.localAddress(), 2000, new byte[65537], 1 << 20, CallOptions.DEFAULT));
            assertEquals(AbortCodes.RXGEN_SS_UNMARSHAL, e.abortCode());
        }
    }
}
