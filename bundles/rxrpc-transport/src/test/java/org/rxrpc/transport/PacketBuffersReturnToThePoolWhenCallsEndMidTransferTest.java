package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxUserService;

/**
 * Calls ended while their application threads are still sending and receiving (aborted by the server,
 * by the client's own other thread, or closed by the server while the request still streams in) give
 * every packet buffer back: the transmit ring's packets published as the I/O thread ended the call, and
 * the received packets delivered after a reader closed its call, were lost before.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PacketBuffersReturnToThePoolWhenCallsEndMidTransferTest {
    private static final int SERVICE = 2000;
    private static final int CALLS = 200;
    private static final int SERVER_ABORT = 4242;
    private static final int CLIENT_ABORT = 4343;

    @Test
    void everyBufferIsBackAfterHundredsOfCallsEndedMidTransfer() throws Exception {
        Endpoint server =
                (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        Endpoint client =
                (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        AtomicReference<Throwable> serverError = new AtomicReference<>();
        AtomicInteger served = new AtomicInteger();
        Thread acceptor = null;
        try (RxUserService service = server.listenUser(SERVICE, 8, true)) {
            int serverBefore = server.pool.available();
            int clientBefore = client.pool.available();
            acceptor = new Thread(() -> serve(service, served, serverError), "pool-test-server");
            acceptor.start();

            InetSocketAddress to = server.localAddress();
            byte[] chunk = new byte[64 * 1024];
            Random r = new Random(42);
            int aborted = 0;
            for (int i = 0; i < CALLS; i++) {
                RxCall call = client.newCall(to, SERVICE, CallOptions.DEFAULT, null);
                Thread abortFromAnotherThread = null;
                if (i % 3 == 2) {
                    long micros = r.nextInt(3000);
                    abortFromAnotherThread = new Thread(() -> {
                        parkMicros(micros);
                        call.abort(CLIENT_ABORT);
                    });
                    abortFromAnotherThread.start();
                }
                try {
                    for (int k = 0; k < 64; k++) call.send(chunk, 0, chunk.length, k == 63);
                    call.awaitCompletion(10, TimeUnit.SECONDS);
                } catch (RxCallAbortedException e) {
                    aborted++;
                } finally {
                    call.close();
                    if (abortFromAnotherThread != null) abortFromAnotherThread.join();
                }
                assertTrue(call.awaitCompletion(10, TimeUnit.SECONDS), "call " + i + " ended");
                assertTrue(
                        call.abortCode() == SERVER_ABORT || call.abortCode() == CLIENT_ABORT,
                        "call " + i + " ended with an explicit abort code: " + call.abortCode());
            }
            int clientAfter = awaitPool(client, clientBefore);
            int serverAfter = awaitPool(server, serverBefore);
            System.out.printf(
                    "%d calls (%d saw the abort while sending); client pool %d -> %d, server pool %d -> %d%n",
                    CALLS, aborted, clientBefore, clientAfter, serverBefore, serverAfter);
            assertEquals(null, serverError.get());
            assertEquals(clientBefore, clientAfter, "the client's transmit buffers are all back in its pool");
            assertEquals(serverBefore, serverAfter, "the server's receive buffers are all back in its pool");
        } finally {
            if (acceptor != null) {
                acceptor.interrupt();
                acceptor.join(10_000);
            }
            client.close();
            server.close();
        }
    }

    /** Each call: read a little of the request, then abort it, or close it unread while it streams in. */
    private static void serve(RxUserService service, AtomicInteger served, AtomicReference<Throwable> error) {
        byte[] buf = new byte[16 * 1024];
        long id = 1;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                RxCall call = service.accept(id++, null, 100, TimeUnit.MILLISECONDS);
                if (call == null) continue;
                try {
                    int reads = ThreadLocalRandom.current().nextInt(20);
                    for (int i = 0; i < reads && call.receive(buf, 0, buf.length, 1, TimeUnit.SECONDS) > 0; i++) {}
                    call.abort(SERVER_ABORT);
                } catch (RxCallAbortedException e) {
                    // the client aborted first
                } finally {
                    call.close();
                    served.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            error.set(t);
        }
    }

    private static void parkMicros(long micros) {
        long end = System.nanoTime() + micros * 1000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    /** The pool's level once it is back where it was, or after 10 s what it is. */
    private static int awaitPool(Endpoint endpoint, int level) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (endpoint.pool.available() != level && System.nanoTime() < deadline) Thread.sleep(20);
        return endpoint.pool.available();
    }
}
