package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;

/**
 * The seed's rule under rxkad: the server's I/O thread makes a new call on a new secured connection live
 * (challenge, response, held packet replayed, packets verified and secured) from what the charging worker
 * preallocated. Measured with the I/O thread's own allocation counter, least of several rounds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NewSecuredConnectionAllocationTest {
    private static final int SERVICE = 4712;
    private static final int CALLS = 50;
    private static final byte[] REQUEST = {1, 2, 3, 4};

    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost host;

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        ServiceSecurity security = ServiceSecurity.of(
                SecurityLevels.CLEAR,
                RxkadServerSecurity.builder(RxkadCallsOverLoopbackTest.KEYS).build());
        host = ServiceHost.serve(
                serverEndpoint,
                SERVICE,
                32,
                security,
                64,
                "alloc",
                call -> {
                    byte[] request = TestCalls.readAll(call, 10);
                    call.send(ByteBuffer.wrap(request), true);
                    call.awaitCompletion(10, TimeUnit.SECONDS);
                },
                false);
    }

    @AfterEach
    void stop() {
        host.close();
        clientEndpoint.close();
        serverEndpoint.close();
    }

    /** Bytes the server's I/O thread allocated for {@code CALLS} calls, less what reading the counter costs. */
    private long allocatedFor(CallOptions options) throws Exception {
        long s0 = serverEndpoint.stats().get(Counter.IO_THREAD_ALLOCATED_BYTES);
        long s1 = serverEndpoint.stats().get(Counter.IO_THREAD_ALLOCATED_BYTES);
        long snapshotCost = s1 - s0;
        for (int i = 0; i < CALLS; i++) {
            assertArrayEquals(
                    REQUEST, clientEndpoint.call(serverEndpoint.localAddress(), SERVICE, REQUEST, 10, options));
        }
        Thread.sleep(50); // the last final ACKs
        long s2 = serverEndpoint.stats().get(Counter.IO_THREAD_ALLOCATED_BYTES);
        return s2 - s1 - snapshotCost;
    }

    private long leastOf(int rounds, CallOptions options) throws Exception {
        long least = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) least = Math.min(least, allocatedFor(options));
        return least;
    }

    @Test
    void newCallsOnNewCryptConnectionsAllocateNothingOnTheIoThread() throws Exception {
        RxkadClientSecurity crypt = new RxkadClientSecurity(
                LocalAuth.mint(RxkadCallsOverLoopbackTest.KEYS, System.currentTimeMillis() / 1000), 2);
        CallOptions shared = CallOptions.DEFAULT.withSecurity(crypt);
        CallOptions fresh = shared.withNewConnection(true);
        leastOf(3, fresh); // warm-up: JIT, first abort codes, thread locals
        leastOf(3, shared);
        long perCallShared = leastOf(5, shared) / CALLS;
        long perNewConnection = leastOf(5, fresh) / CALLS;
        System.out.printf(
                "server I/O thread bytes: %d per new call on an authenticated crypt connection,"
                        + " %d per new call on a new crypt connection%n",
                perCallShared, perNewConnection);
        assertEquals(0, perCallShared, "a new call on a secured connection");
        assertEquals(0, perNewConnection, "a new call on a new secured connection (challenge, response, ticket)");
    }
}
