package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.io.NativeDatagramIo;

/**
 * An endpoint with two I/O threads on one port (SO_REUSEPORT): calls from many client sockets are spread
 * over both and all succeed; the endpoint's own client calls get their replies; statistics are sums; and
 * closing it ends every I/O thread and frees the port.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReusePortEndpointSpreadsConnectionsOverItsIoThreadsTest {
    private static final int CLIENTS = 32;
    private static final int CALLS_EACH = 200;

    @Test
    void callsFromManySocketsAreSpreadOverBothIoThreadsAndAllSucceedAndCloseFreesEverything() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeDatagramIo.available(), "needs the native socket");
        ReusePortEndpoint server = (ReusePortEndpoint) new RxTransportImpl()
                .open(EndpointOptions.defaults().withBind("127.0.0.1", 0).withIoThreads(2));
        int port = server.localAddress().getPort();
        assertEquals(port, server.shard(1).localAddress().getPort(), "both sockets share the port");
        List<RxEndpoint> clients = new ArrayList<>();
        ServiceHost rxperf = null;
        try {
            rxperf = ServiceHost.serve(server, Rxperf.SERVICE_ID, 32, 64, "reuseport-rxperf", new RxperfHandler(true));
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0)));
            }
            AtomicLong ok = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (RxEndpoint c : clients) {
                Thread t = new Thread(() -> {
                    RxperfClient client = new RxperfClient(c, server.localAddress(), CallOptions.DEFAULT);
                    try {
                        for (int k = 0; k < CALLS_EACH; k++) {
                            client.call(Rxperf.OP_RPC, 4 + k % 3000, 4 + (k * 7) % 3000, true);
                            ok.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) t.join(60_000);
            assertTrue(errors.isEmpty(), "calls failed: " + errors);
            assertEquals((long) CLIENTS * CALLS_EACH, ok.get());

            // A server call succeeds when the client's final ACK arrives, which may follow the reply a moment.
            long total = (long) CLIENTS * CALLS_EACH;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.stats().get(Counter.CALLS_SUCCEEDED) < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long first = server.shard(0).stats().get(Counter.CALLS_SUCCEEDED);
            long second = server.shard(1).stats().get(Counter.CALLS_SUCCEEDED);
            System.out.printf("calls served per I/O thread: %d and %d%n", first, second);
            assertTrue(first > 0 && second > 0, "one I/O thread served every call: " + first + " / " + second);
            assertEquals(total, first + second, "every call succeeded on one of the two");
            assertEquals(total, server.stats().get(Counter.CALLS_SUCCEEDED), "the endpoint's sum");
            assertEquals(total, server.stats().get(Counter.CALLS_MADE_LIVE));

            // The endpoint's own client calls: their replies come back to the socket that made them.
            try (RxEndpoint other = new RxTransportImpl().open(EndpointOptions.defaults())) {
                RxService echo = other.listen(4646, 4, (s, call, id) -> echoLater(call), (call, id) -> {});
                for (int i = 0; i < 4; i++) echo.charge(i, (call, id) -> {}, null);
                for (int i = 0; i < 4; i++) {
                    RxCall call = server.newCall(other.localAddress(), 4646, CallOptions.DEFAULT, null);
                    call.send(ByteBuffer.wrap(new byte[] {(byte) i}), true);
                    assertArrayEquals(new byte[] {(byte) i}, TestCalls.readAll(call, 10));
                    call.close();
                }
                echo.close();
            }
            assertThrows(UnsupportedOperationException.class, () -> server.listenUser(4747, 4, true));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> EndpointOptions.builder().nativeIo(false).ioThreads(2).build());
        } finally {
            for (RxEndpoint c : clients) c.close();
            if (rxperf != null) rxperf.close();
            server.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(
                    !t.getName().startsWith("rx-io-" + port + "-") || !t.isAlive(),
                    t.getName() + " outlived the endpoint");
        }
        // Every socket is closed: a socket without SO_REUSEPORT can have the port again.
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    private static void echoLater(RxCall call) {
        Thread t = new Thread(() -> {
            try {
                TestCalls.echo(call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                call.close();
            }
        });
        t.start();
    }
}
