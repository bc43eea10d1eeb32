package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.Captures;
import org.rxrpc.transport.testutil.PcapReader.UdpDatagram;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * What we put on the wire, checked byte for byte against the real OpenAFS library's packets (the
 * captures in src/test/resources/captures), and what we do with raw and malformed input.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireBehaviourTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private RxEndpoint endpoint;
    private RawRxSocket raw;

    @BeforeEach
    void open() throws Exception {
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        raw = RawRxSocket.open();
    }

    @AfterEach
    void close() {
        raw.close();
        endpoint.close();
    }

    private static byte[] capture(String file, int index) {
        List<UdpDatagram> d = Captures.udp(file);
        return d.get(index).payload();
    }

    /** The capture's datagram with epoch and cid replaced (they are random per process). */
    private static byte[] withConnection(byte[] datagram, int epoch, int cid) {
        byte[] copy = datagram.clone();
        ByteBuffer.wrap(copy).putInt(0, epoch).putInt(4, cid);
        return copy;
    }

    @Test
    void ourServerAnswersAnOpenAfsRequestWithExactlyTheBytesOpenAfsSent() throws Exception {
        try (ServiceHost server =
                ServiceHost.serve(endpoint, Rxperf.SERVICE_ID, 4, 4, "rxperf-worker", new RxperfHandler(false))) {
            awaitCharged(server);
            raw.send(endpoint.localAddress(), capture(Captures.A_SINGLE_RPC, 0));
            byte[] reply = raw.receive(WAIT);
            assertNotNull(reply, "no reply");
            byte[] openAfs = capture(Captures.A_SINGLE_RPC, 1);
            Rxperf.fillPattern(openAfs, 28, 4, 0); // OpenAFS's rxperf sends zeros, ours the pattern
            assertArrayEquals(openAfs, reply);
            raw.send(endpoint.localAddress(), capture(Captures.A_SINGLE_RPC, 2)); // the client's final ACK
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (endpoint.stats().get(Counter.CALLS_SUCCEEDED) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(1, endpoint.stats().get(Counter.CALLS_SUCCEEDED));
        }
    }

    private static void awaitCharged(ServiceHost server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.service().chargedCalls() == 0 && System.nanoTime() < deadline) Thread.sleep(1);
        assertTrue(server.service().chargedCalls() > 0, "the worker charged the backlog");
    }

    @Test
    void ourClientSendsTheRequestAndFinalAckOpenAfsSent() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> call = pool.submit(() -> {
                // OpenAFS's rxperf sends zeros: only our pattern bytes differ, patched below.
                new RxperfClient(endpoint, raw.address(), CallOptions.DEFAULT).call(Rxperf.OP_RPC, 4, 4, false);
                return null;
            });
            byte[] request = raw.receive(WAIT);
            assertNotNull(request);
            RawPacket r = RawPacket.parse(request);
            assertTrue((r.epoch() & 0x80000000) != 0, "epoch bit 31 set, as OpenAFS and Linux do");
            assertEquals(0, r.cid() & 3, "first call on channel 0");
            byte[] expected = withConnection(capture(Captures.A_SINGLE_RPC, 0), r.epoch(), r.cid());
            Rxperf.fillPattern(expected, expected.length - 4, 4, 0);
            assertArrayEquals(expected, request);
            raw.send(endpoint.localAddress(), withConnection(capture(Captures.A_SINGLE_RPC, 1), r.epoch(), r.cid()));
            call.get(5, TimeUnit.SECONDS);
            byte[] finalAck = raw.receive(WAIT);
            assertNotNull(finalAck);
            byte[] openAfsAck = withConnection(capture(Captures.A_SINGLE_RPC, 2), r.epoch(), r.cid());
            // Identical but for the receive window we advertise (255 against OpenAFS's 32).
            RawPacket.Ack ours = RawPacket.parse(finalAck).ack();
            assertEquals(255, ours.rwind());
            ByteBuffer.wrap(openAfsAck).putInt(openAfsAck.length - 8, 255);
            assertArrayEquals(openAfsAck, finalAck);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCallForAServiceNobodyOffersGetsOpenAfsRawAbort() throws Exception {
        raw.send(endpoint.localAddress(), capture(Captures.D_CMDEBUG, 0));
        byte[] abort = raw.receive(WAIT);
        assertArrayEquals(capture(Captures.D_CMDEBUG, 1), abort);
        assertEquals(1, endpoint.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE));
    }

    @Test
    void versionRequestsAreAnsweredLikeOpenAfsDoes() throws Exception {
        byte[] request = capture(Captures.E_RXDEBUG, 0);
        raw.send(endpoint.localAddress(), request);
        RawPacket reply = RawPacket.parse(raw.receive(WAIT));
        RawPacket openAfs = RawPacket.parse(capture(Captures.E_RXDEBUG, 1));
        assertEquals(openAfs.type(), reply.type());
        assertEquals(openAfs.flags(), reply.flags());
        assertEquals(openAfs.epoch(), reply.epoch());
        assertEquals(openAfs.callNumber(), reply.callNumber());
        assertEquals(65, reply.body().length);
        assertTrue(new String(reply.body(), StandardCharsets.US_ASCII).startsWith("rxrpc-java"));
        // A VERSION without CLIENT_INITIATED is a keepalive, never answered.
        byte[] keepalive = request.clone();
        keepalive[21] = 0;
        raw.send(endpoint.localAddress(), keepalive);
        assertEquals(null, raw.receive(Duration.ofMillis(300)));
    }

    @Test
    void rxdebugStatisticsRequestsAreAnsweredWithOpenAfsStructSizes() throws Exception {
        // Capture E: rxdebug's GETSTATS (type 1) and RXSTATS (type 4) requests.
        RawPacket openAfsStats = RawPacket.parse(capture(Captures.E_RXDEBUG, 3));
        RawPacket openAfsRxStats = RawPacket.parse(capture(Captures.E_RXDEBUG, 5));
        raw.send(endpoint.localAddress(), capture(Captures.E_RXDEBUG, 2));
        RawPacket stats = RawPacket.parse(raw.receive(WAIT));
        assertEquals(RawPacket.TYPE_DEBUG, stats.type());
        assertEquals(openAfsStats.flags(), stats.flags());
        assertEquals(openAfsStats.callNumber(), stats.callNumber());
        assertEquals(openAfsStats.body().length, stats.body().length);
        assertEquals('S', stats.body()[14], "debug version byte");
        raw.send(endpoint.localAddress(), capture(Captures.E_RXDEBUG, 4));
        RawPacket rxstats = RawPacket.parse(raw.receive(WAIT));
        assertEquals(openAfsRxStats.body().length, rxstats.body().length);
        // An unknown debug type gets RX_DEBUGI_BADTYPE twice.
        byte[] unknown = capture(Captures.E_RXDEBUG, 2);
        ByteBuffer.wrap(unknown).putInt(28, 99);
        raw.send(endpoint.localAddress(), unknown);
        RawPacket bad = RawPacket.parse(raw.receive(WAIT));
        assertEquals(-8, ByteBuffer.wrap(bad.body()).getInt(0));
        assertEquals(3, endpoint.stats().get(Counter.DEBUG_REQUESTS_ANSWERED));
    }

    @Test
    void emptyRingsAnswerBusyOnTheWireAndARetransmissionIsServedAfterRecharge() throws Exception {
        endpoint.close();
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withNewCallDeferMillis(0));
        BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        RxService service = endpoint.listen(Rxperf.SERVICE_ID, 2, (s, c, id) -> live.add(c), (c, id) -> {});
        byte[] request = capture(Captures.A_SINGLE_RPC, 0);
        raw.send(endpoint.localAddress(), request);
        RawPacket busy = RawPacket.parse(raw.receive(WAIT));
        RawPacket req = RawPacket.parse(request);
        assertEquals(RawPacket.TYPE_BUSY, busy.type());
        assertEquals(req.epoch(), busy.epoch());
        assertEquals(req.cid(), busy.cid());
        assertEquals(req.callNumber(), busy.callNumber());
        assertEquals(req.serviceId(), busy.serviceId());
        assertEquals(0, busy.flags());
        assertEquals(0, busy.body().length);
        // The client PINGs its refused call: answered, not aborted (the Linux 6.1 trap).
        byte[] ping = RawPacket.parse(RawRxSocket.packet(
                        RawRxSocket.header(req.epoch(), req.cid(), 1, 0, 2, RawPacket.TYPE_ACK, 0x23, 0, 0, 0, 147),
                        RawRxSocket.ackBody(1, 0, 0, RawPacket.ACK_PING, new byte[0], 5692, 1444, 32, 4)))
                .toBytes();
        raw.send(endpoint.localAddress(), ping);
        RawPacket pong = RawPacket.parse(raw.receive(WAIT));
        assertEquals(RawPacket.TYPE_ACK, pong.type());
        assertEquals(RawPacket.ACK_PING_RESPONSE, pong.ack().reason());
        assertEquals(2, pong.ack().serial());
        assertEquals(1, pong.ack().firstPacket());
        // Recharge; the retransmitted DATA now makes the call live.
        service.charge(1, (c, id) -> {}, null);
        raw.send(endpoint.localAddress(), request);
        RxCall call = live.poll(5, TimeUnit.SECONDS);
        assertNotNull(call);
        assertEquals(1, endpoint.stats().get(Counter.BUSY_SENT));
        assertEquals(28, TestCalls.readAll(call, 5).length);
    }

    @Test
    void malformedAndRandomDatagramsAreCountedAndDroppedAndServiceGoesOn() throws Exception {
        try (ServiceHost server =
                ServiceHost.serve(endpoint, Rxperf.SERVICE_ID, 4, 4, "rxperf-worker", new RxperfHandler(true))) {
            awaitCharged(server);
            int epoch = 0x81234567;
            int cid = 0x00001000;
            byte[][] bad = {
                new byte[0],
                new byte[27],
                RawRxSocket.header(epoch, cid, 1, 1, 1, 0, 1, 0, 0, 0, 147), // type 0
                RawRxSocket.header(epoch, cid, 1, 1, 1, 99, 1, 0, 0, 0, 147), // unknown type
                RawRxSocket.data(epoch, cid, 1, 0, 1, 5, 0, 0, 0, 147, new byte[4]), // seq 0
                RawRxSocket.data(epoch, cid, 0, 1, 1, 5, 0, 0, 0, 147, new byte[4]), // call 0
                RawRxSocket.data(epoch, cid, 1, 1, 1, 5, 0, 0, 0, 0, new byte[4]), // service 0
                RawRxSocket.data(epoch, cid, 1, 1, 1, 0x21, 0, 0, 0, 147, new byte[100]), // short jumbogram
                RawRxSocket.packet(
                        RawRxSocket.header(epoch, cid, 1, 0, 1, 2, 1, 0, 0, 0, 147), new byte[10]), // ACK short
                RawRxSocket.packet(
                        RawRxSocket.header(epoch, cid, 1, 0, 1, 2, 1, 0, 0, 0, 147),
                        Arrays.copyOf(RawRxSocket.ackBody(1, 0, 0, 1, new byte[200]), 40)), // nAcks past the end
                RawRxSocket.packet(
                        RawRxSocket.header(epoch, cid, 1, 0, 1, 4, 1, 0, 0, 0, 147), new byte[2]), // ABORT short
            };
            for (byte[] d : bad) raw.send(endpoint.localAddress(), d);
            Random random = new Random(42);
            for (int i = 0; i < 2000; i++) {
                byte[] d = new byte[random.nextInt(200)];
                random.nextBytes(d);
                if (d.length > 21) d[21] &= ~1; // mostly not client-initiated: no new calls from noise
                raw.send(endpoint.localAddress(), d);
            }
            Thread.sleep(300);
            RxStats s = endpoint.stats();
            assertTrue(s.get(Counter.DROP_TRUNCATED) >= 4, s.toString());
            assertTrue(s.get(Counter.DROP_INVALID_FIELD) >= 6, s.toString());
            assertTrue(s.drops() >= 1900, s.toString());
            assertEquals(0, s.get(Counter.CALLS_MADE_LIVE));
            // The endpoint still serves a real call.
            try (RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults())) {
                new RxperfClient(client, endpoint.localAddress(), CallOptions.DEFAULT)
                        .call(Rxperf.OP_RPC, 5000, 5000, true);
            }
            assertEquals(1, server.callsServed());
        }
    }
}
