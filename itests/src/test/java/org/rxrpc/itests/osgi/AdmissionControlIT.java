package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;

/**
 * Item 6: admission control. With rxperf capped at 4 live calls and a flood of half-open calls (first
 * DATA packets of distinct calls whose requests never finish, from a raw UDP socket), the service answers
 * BUSY, never has more than 4 calls live, the transport's idle timeout aborts the half-open calls that
 * went live, memory stays bounded, and afterwards a normal client is served.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AdmissionControlIT extends RxOsgiTestSupport {
    private static final int MAX_LIVE = 4;
    private static final int BACKLOG = 4;
    private static final long IDLE_TIMEOUT_MILLIS = 1000;
    private static final int FLOOD_CALLS = 3000;
    private static final long HEAP_SLACK = 16L << 20;

    private static final int TYPE_DATA = 1;
    private static final int TYPE_BUSY = 3;
    private static final int TYPE_ABORT = 4;
    private static final int FLAG_CLIENT_INITIATED = 0x01;

    private int port;

    @Before
    public void shortTimeoutsAndACappedRxperf() throws Exception {
        configure(TRANSPORT_PID, Map.of("idleTimeoutMillis", IDLE_TIMEOUT_MILLIS, "newCallDeferMillis", 100L));
        // The transport component re-activates with the configuration (its properties show on the service).
        await("RxEndpoints re-registered with idleTimeoutMillis=" + IDLE_TIMEOUT_MILLIS, 10_000, () -> {
            ServiceReference<RxEndpoints> ref = context.getServiceReference(RxEndpoints.class);
            return ref != null
                    && String.valueOf(IDLE_TIMEOUT_MILLIS).equals(String.valueOf(ref.getProperty("idleTimeoutMillis")));
        });
        port = freeUdpPort();
        startRxperf(port, BACKLOG, MAX_LIVE, true);
    }

    /** The 28-byte header of a call's first DATA packet (seq 1, no LAST_PACKET) and a partial rxperf SEND. */
    private static byte[] firstPacketOfAHalfOpenCall(int epoch, int cid) {
        ByteBuffer b = ByteBuffer.allocate(28 + 20);
        b.putInt(epoch)
                .putInt(cid)
                .putInt(1) // call number
                .putInt(1) // seq
                .putInt(1) // serial
                .put((byte) TYPE_DATA)
                .put((byte) FLAG_CLIENT_INITIATED) // no LAST_PACKET: the request never ends
                .put((byte) 0) // user status
                .put((byte) 0) // security index: null
                .putShort((short) 0) // checksum
                .putShort((short) Rxperf.SERVICE_ID);
        // rxperf SEND announcing 1 MiB that never comes.
        b.putInt(Rxperf.VERSION)
                .putInt(Rxperf.OP_SEND)
                .putInt(65536)
                .putInt(65536)
                .putInt(1 << 20);
        return b.array();
    }

    private static long live(RxStats s) {
        return s.get(Counter.CALLS_MADE_LIVE)
                - s.get(Counter.CALLS_SUCCEEDED)
                - s.get(Counter.CALLS_ABORTED_LOCALLY)
                - s.get(Counter.CALLS_ABORTED_REMOTELY);
    }

    @Test(timeout = 90_000)
    public void aFloodOfHalfOpenCallsMeetsBusyAndIdleTimeoutsAndANormalClientIsServedAfterwards() throws Exception {
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        long heapBefore = retainedHeap();
        RxStats before = serverEndpoint.stats();
        assertEquals("no call live before the flood", 0, live(before));

        Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> abortCodes = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxLive = new AtomicLong();
        AtomicInteger handlerThreadsSeen = new AtomicInteger();
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            raw.setSoTimeout(100);
            raw.setReceiveBufferSize(4 << 20);
            Thread reader = new Thread(
                    () -> {
                        byte[] buf = new byte[2048];
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        while (!done.get()) {
                            try {
                                raw.receive(p);
                            } catch (SocketTimeoutException e) {
                                continue;
                            } catch (java.io.IOException e) {
                                return;
                            }
                            if (p.getLength() < 28) continue;
                            int type = buf[20] & 0xff;
                            received.computeIfAbsent(type, k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (type == TYPE_ABORT && p.getLength() >= 32) {
                                abortCodes
                                        .computeIfAbsent(
                                                ByteBuffer.wrap(buf, 28, 4).getInt(), k -> new AtomicInteger())
                                        .incrementAndGet();
                            }
                        }
                    },
                    "flood-reader");
            Thread sampler = new Thread(
                    () -> {
                        while (!done.get()) {
                            maxLive.accumulateAndGet(live(serverEndpoint.stats()), Math::max);
                            int handlers = threadCount(prefixed(RXPERF_HANDLER_PREFIX));
                            handlerThreadsSeen.accumulateAndGet(handlers, Math::max);
                            sleep(20);
                        }
                    },
                    "flood-sampler");
            reader.start();
            sampler.start();

            // The flood: 3000 distinct calls over about 3 s, longer than the idle timeout, so calls made live
            // early time out and their handlers take more of the flood.
            int epoch = new SecureRandom().nextInt() | 0x80000000;
            InetSocketAddress target = server(port);
            long t0 = System.nanoTime();
            for (int i = 0; i < FLOOD_CALLS; i++) {
                byte[] packet = firstPacketOfAHalfOpenCall(epoch, (i + 1) << 2);
                raw.send(new DatagramPacket(packet, packet.length, target));
                if (i % 10 == 9) sleep(10);
            }
            long floodMillis = (System.nanoTime() - t0) / 1_000_000;

            // Every half-open call that went live is aborted by the idle timeout.
            await(
                    () -> "calls still live after the flood: " + serverEndpoint.stats(),
                    5 * IDLE_TIMEOUT_MILLIS + 5_000,
                    () -> live(serverEndpoint.stats()) == 0);
            sleep(300); // the last ABORTs reach the reader
            done.set(true);
            reader.join(5_000);
            sampler.join(5_000);

            RxStats after = serverEndpoint.stats();
            long madeLive = after.get(Counter.CALLS_MADE_LIVE) - before.get(Counter.CALLS_MADE_LIVE);
            long busy = after.get(Counter.BUSY_SENT) - before.get(Counter.BUSY_SENT);
            long timeouts = after.abortsSent().getOrDefault(AbortCodes.RX_CALL_TIMEOUT, 0L)
                    - before.abortsSent().getOrDefault(AbortCodes.RX_CALL_TIMEOUT, 0L);
            long heapAfter = retainedHeap();
            String report = FLOOD_CALLS + " half-open calls in " + floodMillis + " ms: made live " + madeLive
                    + ", BUSY sent " + busy + ", RX_CALL_TIMEOUT sent " + timeouts + ", deferred "
                    + (after.get(Counter.CALLS_DEFERRED) - before.get(Counter.CALLS_DEFERRED)) + ", max live "
                    + maxLive + "; the flooder received by type " + new TreeMap<>(received) + ", abort codes "
                    + new TreeMap<>(abortCodes) + "; heap " + (heapBefore >> 10) + " -> " + (heapAfter >> 10)
                    + " KiB; I/O thread allocated "
                    + (after.get(Counter.IO_THREAD_ALLOCATED_BYTES) - before.get(Counter.IO_THREAD_ALLOCATED_BYTES))
                    + " bytes; server endpoint " + after;
            System.out.println(report);

            assertTrue("BUSY answers: " + report, busy > 0);
            assertTrue(
                    "the flooder saw BUSY: " + report,
                    received.getOrDefault(TYPE_BUSY, new AtomicInteger()).get() > 0);
            assertTrue("some of the flood went live: " + report, madeLive >= MAX_LIVE);
            assertTrue("never more than " + MAX_LIVE + " calls live: " + report, maxLive.get() <= MAX_LIVE);
            // rxperf is an event-loop handler: a half-open call's request is gathered on the I/O thread, so
            // the flood holds no handler thread at all (a plain handler would hold one per live call).
            assertEquals("no handler thread held by the flood: " + report, 0, handlerThreadsSeen.get());
            assertEquals("every call made live ended by the idle timeout: " + report, madeLive, timeouts);
            assertTrue(
                    "the flooder got RX_CALL_TIMEOUT aborts: " + report,
                    abortCodes
                                    .getOrDefault(AbortCodes.RX_CALL_TIMEOUT, new AtomicInteger())
                                    .get()
                            > 0);
            assertTrue("no DATA was sent to the flooder: " + report, !received.containsKey(TYPE_DATA));
            assertTrue("retained heap grew by less than 16 MiB: " + report, heapAfter - heapBefore < HEAP_SLACK);
        }

        // A normal client is served afterwards.
        try (RxEndpoint client = openClient()) {
            rpc(client, port, 1000, 1000, CallOptions.DEFAULT.withHardTimeoutMillis(15_000));
            rpc(client, port, 1 << 20, 1 << 20, CallOptions.DEFAULT.withHardTimeoutMillis(30_000));
        }
    }
}
