package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.Token;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/**
 * Every hostile security case of issue 9 against our server (rxkad, minimum level clear, local cell and
 * example.org accepted): each ends with its abort code and its counter, and the service serves nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileSecurityInputIsAbortedAndCountedTest {
    private static final int SERVICE = 4711;
    private static final ServerKey KEY = RxkadCallsOverLoopbackTest.KEY;
    private static final byte[] REQUEST = "hello".getBytes(StandardCharsets.US_ASCII);

    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost host;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        serve(ServiceSecurity.of(SecurityLevels.CLEAR, rxkad()));
    }

    private static RxkadServerSecurity rxkad() {
        return RxkadServerSecurity.builder(RxkadCallsOverLoopbackTest.KEYS)
                .acceptedCells("example.org")
                .build();
    }

    private void serve(ServiceSecurity security) {
        if (host != null) host.close();
        host = ServiceHost.serve(
                serverEndpoint,
                SERVICE,
                8,
                security,
                16,
                "hostile",
                call -> {
                    byte[] request = TestCalls.readAll(call, 10);
                    served.incrementAndGet();
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

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static Token token() {
        return LocalAuth.mint(KEY, "afs", "", "", now(), 3600);
    }

    /** A call with {@code security} from our own client: the abort code it ends with. */
    private int callAbortCode(ClientSecurity security) throws Exception {
        CallOptions o = CallOptions.DEFAULT.withSecurity(security).withHardTimeoutMillis(10_000);
        RxCallAbortedException e = assertThrows(
                RxCallAbortedException.class,
                () -> clientEndpoint.call(serverEndpoint.localAddress(), SERVICE, REQUEST, 100, o));
        return e.abortCode();
    }

    private RxStats serverStats() {
        return serverEndpoint.stats();
    }

    private void assertNothingServed(RxStats s) {
        assertEquals(0, served.get(), "served nothing");
        assertEquals(0, s.get(Counter.CALLS_MADE_LIVE), s.toString());
    }

    @Test
    void aGoodTokenIsServedAtEveryLevel() throws Exception {
        for (int level = 0; level <= 2; level++) {
            byte[] reply = clientEndpoint.call(
                    serverEndpoint.localAddress(),
                    SERVICE,
                    REQUEST,
                    100,
                    CallOptions.DEFAULT.withSecurity(new RxkadClientSecurity(token(), level)));
            assertArrayEquals(REQUEST, reply);
        }
        assertEquals(3, served.get());
    }

    @Test
    void aTicketSealedWithAnotherKeyIsRefusedBadTicket() throws Exception {
        Token forged = LocalAuth.mint(
                ServerKey.des(7, new byte[] {2, 4, 8, 16, 32, 64, (byte) 128, 1}), "afs", "", "", now(), 3600);
        assertEquals(SecurityAbortCodes.RXKADBADTICKET, callAbortCode(new RxkadClientSecurity(forged, 1)));
        RxStats s = serverStats();
        assertEquals(1, s.get(Counter.RESPONSES_REJECTED), s.toString());
        assertNothingServed(s);
    }

    @Test
    void anExpiredTicketIsRefusedExpired() throws Exception {
        long past = now() - 7200;
        Token old = LocalAuth.mint(KEY, "afs", "", "", past, 3600);
        // The client's clock is wrong too, so it sends the ticket: the server judges it.
        assertEquals(SecurityAbortCodes.RXKADEXPIRED, callAbortCode(new RxkadClientSecurity(old, 1, () -> past + 60)));
        RxStats s = serverStats();
        assertEquals(1, s.get(Counter.RESPONSES_REJECTED), s.toString());
        assertNothingServed(s);
    }

    @Test
    void aTicketOfAnotherCellIsRefusedNoAuth() throws Exception {
        Token foreign = LocalAuth.mint(KEY, "afs", "", "other.org", now(), 3600);
        assertEquals(SecurityAbortCodes.RXKADNOAUTH, callAbortCode(new RxkadClientSecurity(foreign, 1)));
        assertEquals(1, serverStats().get(Counter.RESPONSES_REJECTED));
        assertNothingServed(serverStats());
    }

    @Test
    void aTicketForAnotherServiceKeyIsRefusedUnknownKey() throws Exception {
        Token other = LocalAuth.mint(
                ServerKey.des(9, new byte[] {2, 4, 8, 16, 32, 64, (byte) 128, 1}), "afs", "", "", now(), 3600);
        assertEquals(SecurityAbortCodes.RXKADUNKNOWNKEY, callAbortCode(new RxkadClientSecurity(other, 2)));
        assertEquals(1, serverStats().get(Counter.RESPONSES_REJECTED));
        assertNothingServed(serverStats());
    }

    @Test
    void aLevelBelowTheServiceMinimumIsRefusedLevelFail() throws Exception {
        serve(ServiceSecurity.of(SecurityLevels.AUTH, rxkad()));
        assertEquals(SecurityAbortCodes.RXKADLEVELFAIL, callAbortCode(new RxkadClientSecurity(token(), 0)));
        RxStats s = serverStats();
        assertEquals(1, s.get(Counter.SECURITY_LEVEL_REFUSED), s.toString());
        assertNothingServed(s);
        // At the minimum it is served.
        clientEndpoint.call(
                serverEndpoint.localAddress(),
                SERVICE,
                REQUEST,
                100,
                CallOptions.DEFAULT.withSecurity(new RxkadClientSecurity(token(), 1)));
        assertEquals(1, served.get());
    }

    @Test
    void aClassTheServiceDoesNotAcceptGetsTheRawAbortInvalidOperation() throws Exception {
        try (RawRxSocket raw = RawRxSocket.open()) {
            for (int index : new int[] {0, 1, 4, 255}) {
                raw.send(
                        serverEndpoint.localAddress(),
                        RawRxSocket.data(
                                RawRxkadClient.EPOCH,
                                0x100 + (index << 2),
                                1,
                                1,
                                1,
                                RawPacket.FLAG_CLIENT_INITIATED | RawPacket.FLAG_LAST_PACKET,
                                0,
                                index,
                                0,
                                SERVICE,
                                REQUEST));
                RawPacket p = RawPacket.parse(raw.receive(Duration.ofSeconds(5)));
                assertEquals(RawPacket.TYPE_ABORT, p.type());
                assertEquals(
                        AbortCodes.RX_INVALID_OPERATION,
                        ByteBuffer.wrap(p.body()).getInt());
            }
        }
        RxStats s = serverStats();
        assertEquals(4, s.get(Counter.SECURITY_CLASS_REFUSED), s.toString());
        assertNothingServed(s);
    }

    @Test
    void aResponseWithoutAChallengeIsDroppedAndCountedNotAborted() throws Exception {
        try (RawRxkadClient c = client(1, 0x200)) {
            byte[] fakeChallenge = ByteBuffer.allocate(16)
                    .putInt(2)
                    .putInt(1234)
                    .putInt(0)
                    .putInt(0)
                    .array();
            c.sendResponse(c.cid, c.responseBody(fakeChallenge, 1));
            assertNull(c.await(RawPacket.TYPE_ABORT, Duration.ofMillis(500)), "no answer");
        }
        RxStats s = serverStats();
        assertEquals(1, s.get(Counter.DROP_UNEXPECTED_RESPONSE), s.toString());
        assertNothingServed(s);
    }

    @Test
    void aResponseReplayedOnAnotherConnectionIsRefusedSealedInconsistent() throws Exception {
        try (RawRxkadClient a = client(1, 0x300)) {
            a.sendRequest(1, REQUEST, null);
            RawPacket challenge = a.await(RawPacket.TYPE_CHALLENGE, Duration.ofSeconds(5));
            assertNotNull(challenge);
            // A response sealed for another connection (cid 0x400) sent on this one.
            try (RawRxkadClient b = client(1, 0x400)) {
                a.sendResponse(a.cid, b.responseBody(challenge.body(), 1));
            }
            RawPacket abort = a.await(RawPacket.TYPE_ABORT, Duration.ofSeconds(5));
            assertNotNull(abort);
            assertEquals(0, abort.callNumber(), "a connection abort");
            assertEquals(SecurityAbortCodes.RXKADSEALEDINCON, RawRxkadClient.code(abort));
        }
        RxStats s = serverStats();
        assertEquals(1, s.get(Counter.RESPONSES_REJECTED), s.toString());
        assertEquals(1, s.get(Counter.CALLS_DISCARDED), "the held call went back to the service: " + s);
        assertNothingServed(s);
    }

    @Test
    void oversizedAndTruncatedTicketsAreRefusedTicketLenAndPacketShort() throws Exception {
        assertEquals(SecurityAbortCodes.RXKADTICKETLEN, responseWithTicketLength(0x500, 12001, 32));
        assertEquals(SecurityAbortCodes.RXKADPACKETSHORT, responseWithTicketLength(0x600, 100, 40));
        RxStats s = serverStats();
        assertEquals(2, s.get(Counter.RESPONSES_REJECTED), s.toString());
        assertNothingServed(s);
    }

    /** A real response whose ticket length field says {@code claimed} but carries {@code carried} bytes. */
    private int responseWithTicketLength(int cid, int claimed, int carried) throws Exception {
        try (RawRxkadClient c = client(1, cid)) {
            c.sendRequest(1, REQUEST, null);
            RawPacket challenge = c.await(RawPacket.TYPE_CHALLENGE, Duration.ofSeconds(5));
            byte[] body = c.responseBody(challenge.body(), 1);
            ByteBuffer forged = ByteBuffer.allocate(56 + carried);
            forged.put(body, 0, 52).putInt(claimed);
            c.sendResponse(c.cid, forged.array());
            return RawRxkadClient.code(c.await(RawPacket.TYPE_ABORT, Duration.ofSeconds(5)));
        }
    }

    @Test
    void aTamperedHeaderChecksumAbortsTheCallSealedInconsistent() throws Exception {
        assertEquals(SecurityAbortCodes.RXKADSEALEDINCON, tamperedCall(1, 0x700, d -> d[25] ^= 1));
    }

    @Test
    void aFlippedBitInAnAuthPacketAbortsTheCallSealedInconsistent() throws Exception {
        assertEquals(SecurityAbortCodes.RXKADSEALEDINCON, tamperedCall(1, 0x800, d -> d[28 + 1] ^= 0x10));
    }

    @Test
    void aFlippedBitInACryptPacketAbortsTheCallSealedInconsistent() throws Exception {
        assertEquals(SecurityAbortCodes.RXKADSEALEDINCON, tamperedCall(2, 0x900, d -> d[28 + 2] ^= 0x01));
    }

    /**
     * Authenticates properly, then sends the call's request again (a second call) with one byte changed:
     * the call is aborted with the class's code, counted, and never served.
     */
    private int tamperedCall(int level, int cid, java.util.function.Consumer<byte[]> tamper) throws Exception {
        try (RawRxkadClient c = client(level, cid)) {
            c.sendRequest(1, REQUEST, tamper);
            RawPacket challenge = c.await(RawPacket.TYPE_CHALLENGE, Duration.ofSeconds(5));
            c.sendResponse(c.cid, c.responseBody(challenge.body(), 1));
            RawPacket abort = c.await(RawPacket.TYPE_ABORT, Duration.ofSeconds(5));
            assertNotNull(abort);
            assertEquals(1, abort.callNumber(), "the call, not the connection");
            RxStats s = serverStats();
            assertEquals(1, s.get(Counter.CONNECTIONS_AUTHENTICATED), s.toString());
            assertEquals(1, s.get(Counter.SECURED_PACKETS_REJECTED), s.toString());
            Thread.sleep(200);
            assertEquals(0, served.get(), "served nothing");
            return RawRxkadClient.code(abort);
        }
    }

    private RawRxkadClient client(int level, int cid) throws Exception {
        return new RawRxkadClient(serverEndpoint.localAddress(), SERVICE, cid, new RxkadClientSecurity(token(), level));
    }

    @Test
    void ourClientRefusesAChallengeWithAnExpiredTokenAndTellsTheServer() throws Exception {
        // The client judges its own token when challenged (OpenAFS: RXKADEXPIRED from GetResponse).
        long past = now() - 7200;
        Token old = LocalAuth.mint(KEY, "afs", "", "", past, 3600);
        assertEquals(SecurityAbortCodes.RXKADEXPIRED, callAbortCode(new RxkadClientSecurity(old, 1)));
        assertEquals(1, clientEndpoint.stats().get(Counter.CHALLENGES_REFUSED));
        RxStats s = serverStats();
        assertEquals(0, s.get(Counter.CONNECTIONS_AUTHENTICATED), s.toString());
        assertNothingServed(s);
    }
}
