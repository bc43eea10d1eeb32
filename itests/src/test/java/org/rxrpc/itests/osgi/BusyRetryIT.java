package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.rxperf.Rxperf;

/**
 * Admission control from the refused client's side: rxperf with one handler, held by a call whose reply
 * is never acknowledged, answers every other new call BUSY; a client call given {@code busyRetryMillis} must then end in
 * {@link CallState#BUSY} when that time runs out, whether or not the server answered its keepalive
 * PINGs meanwhile (the server does answer them, on purpose: ARCHITECTURE.md).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BusyRetryIT extends RxOsgiTestSupport {
    private static final long BUSY_RETRY_MILLIS = 2_000;

    private static int port;
    private static DatagramSocket holder;

    @Before
    public void oneHandlerHeldByAHalfOpenCall() throws Exception {
        if (bundle(RXPERF_BSN).getState() == Bundle.ACTIVE) return;
        configure(TRANSPORT_PID, Map.of("newCallDeferMillis", 100L));
        await("RxEndpoints re-registered with newCallDeferMillis=100", 10_000, () -> {
            ServiceReference<RxEndpoints> ref = context.getServiceReference(RxEndpoints.class);
            return ref != null && "100".equals(String.valueOf(ref.getProperty("newCallDeferMillis")));
        });
        port = freeUdpPort();
        startRxperf(port, 1, 1, true);
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        long live = serverEndpoint.stats().get(Counter.CALLS_MADE_LIVE);
        // A whole rxperf RECV request in one packet, for a 200 MiB reply that this socket never acknowledges:
        // the handler stays busy sending. (A call still waiting for its request would be half-open, and a
        // newcomer's call would evict it: fair admission.)
        holder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        ByteBuffer b = ByteBuffer.allocate(28 + 20);
        b.putInt(new SecureRandom().nextInt() | 0x80000000)
                .putInt(4)
                .putInt(1)
                .putInt(1)
                .putInt(1);
        b.put((byte) 1).put((byte) (1 | 4)).put((byte) 0).put((byte) 0).putShort((short) 0); // client, last
        b.putShort((short) Rxperf.SERVICE_ID);
        b.putInt(Rxperf.VERSION)
                .putInt(Rxperf.OP_RECV)
                .putInt(65536)
                .putInt(65536)
                .putInt(200 << 20);
        holder.send(new DatagramPacket(b.array(), b.capacity(), server(port)));
        await("the holding call went live", 5_000, () -> serverEndpoint.stats().get(Counter.CALLS_MADE_LIVE) > live);
    }

    @AfterClass
    public static void closeHolder() {
        if (holder != null) holder.close();
    }

    private void refusedCallEndsBusy(long deadTimeMillis) throws Exception {
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        long busyBefore = serverEndpoint.stats().get(Counter.BUSY_SENT);
        try (RxEndpoint client = transport()
                        .open(EndpointOptions.defaults()
                                .withBind(LOOPBACK, 0)
                                .withTimeouts(deadTimeMillis, 60_000, 600_000)
                                .withBuffers(1 << 20, 256));
                RxCall call = client.newCall(
                        server(port),
                        Rxperf.SERVICE_ID,
                        CallOptions.DEFAULT.withBusyRetryMillis(BUSY_RETRY_MILLIS),
                        null)) {
            ByteBuffer request = ByteBuffer.allocate(24);
            request.putInt(Rxperf.VERSION).putInt(Rxperf.OP_RPC).putInt(65536).putInt(65536);
            request.putInt(0).putInt(0).flip();
            long t0 = System.nanoTime();
            call.send(request, true);
            boolean ended = call.awaitCompletion(BUSY_RETRY_MILLIS + 4_000, TimeUnit.MILLISECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("the server answered BUSY", serverEndpoint.stats().get(Counter.BUSY_SENT) > busyBefore);
            assertTrue(
                    "a call refused BUSY with busyRetryMillis=" + BUSY_RETRY_MILLIS + " still runs after " + millis
                            + " ms (state " + call.state() + "); client endpoint " + client.stats(),
                    ended);
            assertEquals("ended after " + millis + " ms", CallState.BUSY, call.state());
            assertEquals(AbortCodes.RX_CALL_BUSY, call.abortCode());
        }
    }

    /** Control: with a 60 s dead time the first keepalive PING would come after 10 s, so none is sent. */
    @Test(timeout = 60_000)
    public void aRefusedCallWithoutKeepalivePingsEndsBusyWhenItsRetryTimeRunsOut() throws Exception {
        refusedCallEndsBusy(60_000);
    }

    /** With a 3 s dead time the client PINGs every 500 ms and the server answers each PING. */
    @Test(timeout = 60_000)
    public void aRefusedCallWhosePingsAreAnsweredStillEndsBusyWhenItsRetryTimeRunsOut() throws Exception {
        refusedCallEndsBusy(3_000);
    }
}
