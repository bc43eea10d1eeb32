package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxService;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * Raw packets a hostile or broken client sends: each is answered as OpenAFS or Linux would answer it, or
 * dropped and counted, and none makes a peer, a connection or a call, nor ends one in progress.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputMakesNoStateTest {
    private static final int SERVICE = 4848;
    private static final int EPOCH = 0x8000_2468;
    private Endpoint server;
    private RawRxSocket raw;
    private final BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();

    @BeforeEach
    void open() throws Exception {
        server = (Endpoint) new RxTransportImpl().open(EndpointOptions.defaults());
        raw = RawRxSocket.open();
        RxService s = server.listen(SERVICE, 4, (svc, call, id) -> live.add(call), (call, id) -> {});
        for (int i = 0; i < 4; i++) s.charge(i, (c, id) -> {}, null);
    }

    @AfterEach
    void close() {
        raw.close();
        server.close();
    }

    private byte[] data(int cid, int call, int seq, int flags, int service, byte[] payload) {
        return RawRxSocket.data(
                EPOCH, cid, call, seq, seq, RawPacket.FLAG_CLIENT_INITIATED | flags, 0, 0, 0, service, payload);
    }

    private void assertNothingMade() {
        assertEquals(0, server.peerCount(), "peers");
        assertEquals(0, server.serverConnections(), "connections");
        assertEquals(0, server.liveCallCount(), "calls");
        assertEquals(0, server.stats().get(Counter.CALLS_MADE_LIVE));
    }

    @Test
    void aJumbogramWhoseSeqsWrapThroughZeroIsDropped() throws Exception {
        ByteBuffer body = ByteBuffer.allocate(1412 + 4 + 10);
        body.put(new byte[1412])
                .put((byte) RawPacket.FLAG_LAST_PACKET)
                .put((byte) 0)
                .putShort((short) 0);
        raw.send(
                server.localAddress(), data(0x400, 1, 0xFFFF_FFFF, RawPacket.FLAG_JUMBO_PACKET, SERVICE, body.array()));
        assertNull(raw.receive(Duration.ofMillis(300)), "no answer");
        assertEquals(1, server.stats().get(Counter.DROP_INVALID_FIELD));
        assertNothingMade();
    }

    @Test
    void aFirstDataForServiceZeroGetsTheUnknownServiceAbort() throws Exception {
        raw.send(server.localAddress(), data(0x800, 1, 1, RawPacket.FLAG_LAST_PACKET, 0, new byte[] {1}));
        byte[] answer = raw.receive(Duration.ofSeconds(5));
        assertNotNull(answer, "answered like any unknown service");
        RawPacket p = RawPacket.parse(answer);
        assertEquals(RawPacket.TYPE_ABORT, p.type());
        assertEquals(AbortCodes.RX_INVALID_OPERATION, ByteBuffer.wrap(p.body()).getInt());
        assertEquals(1, server.stats().get(Counter.CALLS_FOR_UNKNOWN_SERVICE));
        assertNothingMade();
    }

    @Test
    void aPingForAnUnknownCallIsAnsweredWithoutState() throws Exception {
        byte[] ping = RawRxSocket.packet(
                RawRxSocket.header(
                        EPOCH,
                        0xC00,
                        1,
                        0,
                        1,
                        RawPacket.TYPE_ACK,
                        RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_REQUEST_ACK,
                        0,
                        0,
                        0,
                        SERVICE),
                RawRxSocket.ackBody(1, 0, 0, RawPacket.ACK_PING, new byte[0], 1444, 1444, 32, 4));
        raw.send(server.localAddress(), ping);
        byte[] answer = raw.receive(Duration.ofSeconds(5));
        assertNotNull(answer);
        assertEquals(RawPacket.TYPE_ACK, RawPacket.parse(answer).type());
        assertNothingMade();
    }

    @Test
    void laterDataOfAnUnknownCallIsDroppedWithoutState() throws Exception {
        raw.send(server.localAddress(), data(0x1000, 1, 5, 0, SERVICE, new byte[100]));
        raw.send(server.localAddress(), data(0x1400, 1, 20, RawPacket.FLAG_LAST_PACKET, SERVICE, new byte[100]));
        assertNull(raw.receive(Duration.ofMillis(300)), "no answer");
        assertEquals(2, server.stats().get(Counter.DROP_NO_CALL));
        assertNothingMade();
    }

    @Test
    void onlyTheFirstDataOfANewerCallEndsTheCallInProgressOnItsChannel() throws Exception {
        int cid = 0x2000;
        raw.send(server.localAddress(), data(cid, 1, 1, 0, SERVICE, new byte[1412])); // request not finished
        RxCall first = live.poll(10, TimeUnit.SECONDS);
        assertNotNull(first);
        // A PING and a later DATA of call 2 on the same channel: not the start of call 2.
        raw.send(
                server.localAddress(),
                RawRxSocket.packet(
                        RawRxSocket.header(
                                EPOCH,
                                cid,
                                2,
                                0,
                                9,
                                RawPacket.TYPE_ACK,
                                RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_REQUEST_ACK,
                                0,
                                0,
                                0,
                                SERVICE),
                        RawRxSocket.ackBody(1, 0, 0, RawPacket.ACK_PING, new byte[0], 1444, 1444, 32, 4)));
        raw.send(server.localAddress(), data(cid, 2, 3, 0, SERVICE, new byte[10]));
        Thread.sleep(300);
        assertEquals(CallState.SERVER_RECEIVING_REQUEST, first.state(), "call 1 goes on");
        // The first DATA of call 2 does end it (its client has moved on), and starts call 2.
        raw.send(server.localAddress(), data(cid, 2, 1, RawPacket.FLAG_LAST_PACKET, SERVICE, new byte[10]));
        assertNotNull(live.poll(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!first.state().isComplete() && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(CallState.LOCALLY_ABORTED, first.state());
    }
}
