package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.BacklogFullException;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.itests.interop.OpenAfsPeers.ClientResult;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The trap of DESIGN.md ("BUSY must delay a call, not fail it"): eight concurrent OpenAFS-library
 * callers against our kernel-service-mode server whose backlog of 2 is recharged slowly (one charge
 * every {@value #CHARGE_INTERVAL_MS} ms at most). The backlog runs dry, so new calls are answered BUSY.
 * Every one must be served once a charge is there: a refused call has run nothing, so nothing is lost.
 *
 * <p>What the OpenAFS 1.8.9 client does after a BUSY (seen with tcpdump): nothing at once (the library
 * ignores BUSY packets; {@code RX_CALL_PEER_BUSY} is gone from rx.h); it PINGs the refused call every
 * 4 s (we answer PING_RESPONSE, which keeps the call alive) and retransmits its first DATA packet with
 * REQUEST_ACK on its retransmit timer, backing off: about 3.6 s, 10.4 s, 23.6 s, 49.6 s, 101 s after the
 * first try. The eight callers start together, so their retransmissions come in bursts and only two of
 * a burst find a charge. With BUSY at once (newCallDeferMillis 0, as Linux does) 8 calls take 23.6 s
 * and 16 calls 50-101 s (measured), so that case runs 8 calls; with the default deferral (the first
 * packet waits up to 1 s for a charge, BUSY only beyond one per backlog slot) 40 calls take about 24 s.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BusyBacklogWithOpenAfsClientTest {
    private static final int BACKLOG = 2;
    private static final long CHARGE_INTERVAL_MS = 250;
    private static final int HANDLERS = 4;

    private RxEndpoint endpoint;
    private RxService service;
    private final BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> handlerErrors = new CopyOnWriteArrayList<>();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong charges = new AtomicLong();
    private volatile boolean running = true;

    @AfterEach
    void stop() throws InterruptedException {
        running = false;
        try {
            if (service != null) service.close();
        } finally {
            for (Thread t : threads) t.interrupt();
            for (Thread t : threads) t.join(5000);
            RxCall c;
            while ((c = live.poll()) != null) c.close();
            if (endpoint != null) endpoint.close();
        }
    }

    private void startSlowlyRechargedService(EndpointOptions options) {
        endpoint = new RxTransportImpl().open(options);
        service = endpoint.listen(Rxperf.SERVICE_ID, BACKLOG, (svc, call, id) -> live.add(call), (call, id) -> {});
        Thread charger = new Thread(this::chargeSlowly, "slow-charger");
        threads.add(charger);
        for (int i = 0; i < HANDLERS; i++) threads.add(new Thread(this::handle, "rxperf-handler-" + i));
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** At most one charge per interval, only while the backlog has room. */
    private void chargeSlowly() {
        long nextId = 1;
        while (running) {
            try {
                if (service.chargedCalls() < BACKLOG) {
                    service.charge(nextId++, (call, id) -> {}, null);
                    charges.incrementAndGet();
                }
                Thread.sleep(CHARGE_INTERVAL_MS);
            } catch (BacklogFullException e) {
                // raced with nothing: try again next interval
            } catch (ServiceClosedException | InterruptedException e) {
                return;
            }
        }
    }

    private void handle() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        while (running) {
            RxCall call;
            try {
                call = live.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (call == null) continue;
            try (call) {
                String error = serveRpc(call, buf);
                if (error == null) served.incrementAndGet();
                else handlerErrors.add("call " + call.userCallId() + ": " + error);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                handlerErrors.add("call " + call.userCallId() + ": " + e);
            }
        }
    }

    /** Serves one rxperf RPC (op 3): header, S payload bytes in, R payload bytes and the cookie out. */
    private static String serveRpc(RxCall call, ByteBuffer buf) throws InterruptedException {
        buf.clear().limit(24);
        if (!readFully(call, buf)) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return "short header";
        }
        int version = buf.getInt(0);
        int op = buf.getInt(4);
        int request = buf.getInt(16);
        int reply = buf.getInt(20);
        if (version != Rxperf.VERSION || op != Rxperf.OP_RPC || request < 0 || reply < 0 || reply > buf.capacity()) {
            call.abort(AbortCodes.RXGEN_OPCODE);
            return "unexpected header version=" + version + " op=" + op + " S=" + request + " R=" + reply;
        }
        long offset = 0;
        while (offset < request) {
            buf.clear().limit((int) Math.min(buf.capacity(), request - offset));
            int n = call.receive(buf, 30, TimeUnit.SECONDS);
            if (n < 0) {
                call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
                return "request ended at " + offset + " of " + request;
            }
            if (Rxperf.checkPattern(buf.array(), 0, n, offset) >= 0) {
                call.abort(Rxperf.ABORT_BAD_PAYLOAD);
                return "request payload mismatch near " + offset;
            }
            offset += n;
        }
        buf.clear().limit(1);
        if (call.receive(buf, 30, TimeUnit.SECONDS) != -1) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return "request longer than announced";
        }
        buf.clear();
        Rxperf.fillPattern(buf.array(), 0, reply, 0);
        buf.position(reply);
        buf.putInt(Rxperf.COOKIE).flip();
        call.send(buf, true);
        if (!call.awaitCompletion(30, TimeUnit.SECONDS)) return "reply not acknowledged, state " + call.state();
        return null;
    }

    private static boolean readFully(RxCall call, ByteBuffer buf) throws InterruptedException {
        while (buf.hasRemaining()) {
            if (call.receive(buf, 30, TimeUnit.SECONDS) < 0) return false;
        }
        return true;
    }

    private String context() {
        RxStats stats = endpoint.stats();
        return "our endpoint 127.0.0.1:" + endpoint.localAddress().getPort() + " " + stats + "\ncharges=" + charges
                + " served=" + served + " handlerErrors=" + handlerErrors;
    }

    /** Runs {@code calls} small RPCs from 8 concurrent OpenAFS callers; every one must succeed after BUSY. */
    private void runEightCallersAndExpectEveryCallServed(EndpointOptions options, int calls)
            throws InterruptedException {
        OpenAfsPeers.require();
        startSlowlyRechargedService(options);
        // Start with the backlog full, as a service that has been up a while: the first burst takes two.
        long charged = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (service.chargedCalls() < BACKLOG && System.nanoTime() < charged) Thread.sleep(10);
        int port = endpoint.localAddress().getPort();
        ClientResult r = OpenAfsPeers.runClient(
                port,
                Duration.ofSeconds(125),
                "-m",
                "rpc",
                "-s",
                "4",
                "-r",
                "4",
                "-c",
                "8",
                "-n",
                Integer.toString(calls),
                "-V");
        OpenAfsPeers.assertAllCallsSucceeded(r, calls, this::context);
        assertTrue(
                endpoint.stats().get(Counter.BUSY_SENT) > 0,
                () -> "the backlog never ran dry (no BUSY sent), the test proves nothing: " + context());
        // The handler counts a call once the client acknowledged the reply, just after the client ended it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (served.get() < calls && handlerErrors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(calls, served.get(), this::context);
        assertTrue(handlerErrors.isEmpty(), this::context);
        assertEquals(calls, endpoint.stats().get(Counter.CALLS_MADE_LIVE), this::context);
    }

    @Test
    void openAfsCallsAnsweredBusyAtOnceAreAllServedOnceRecharged() throws InterruptedException {
        runEightCallersAndExpectEveryCallServed(
                EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0).withNewCallDeferMillis(0), 8);
    }

    @Test
    void withDeferredFirstPacketsFortyOpenAfsCallsAllCompleteAndSomeStillMeetBusy() throws InterruptedException {
        runEightCallersAndExpectEveryCallServed(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0), 40);
        assertTrue(endpoint.stats().get(Counter.CALLS_DEFERRED) > 0, this::context);
    }
}
