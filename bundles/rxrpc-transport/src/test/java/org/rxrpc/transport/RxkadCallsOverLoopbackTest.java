package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.rxkad.Token;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;

/**
 * Our client against our server over real UDP on loopback under rxkad, at clear, auth and crypt: the
 * challenge round trip before the first call is served, then requests and replies byte-exact both ways.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RxkadCallsOverLoopbackTest {
    static final ServerKey KEY =
            ServerKey.des(7, new byte[] {1, 35, 69, 103, (byte) 137, (byte) 171, (byte) 205, (byte) 239});
    static final ServerKeyRing KEYS = new ServerKeyRing(List.of(KEY));

    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost server;

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        ServiceSecurity accepted = ServiceSecurity.of(
                SecurityLevels.CLEAR,
                NullSecurity.INSTANCE,
                RxkadServerSecurity.builder(KEYS).build());
        server = ServiceHost.serve(
                serverEndpoint, Rxperf.SERVICE_ID, 32, accepted, 256, "rxperf-worker", new RxperfHandler(true), true);
    }

    @AfterEach
    void stop() {
        server.close();
        clientEndpoint.close();
        serverEndpoint.close();
    }

    private RxperfClient client(int level) {
        Token token = LocalAuth.mint(KEYS, System.currentTimeMillis() / 1000);
        InetSocketAddress to = serverEndpoint.localAddress();
        return new RxperfClient(
                clientEndpoint, to, CallOptions.DEFAULT.withSecurity(new RxkadClientSecurity(token, level)));
    }

    @Test
    void fourBytesAndOneMebibyteArriveByteExactBothWaysAtClearAuthAndCrypt() throws Exception {
        for (int level = SecurityLevels.CLEAR; level <= SecurityLevels.CRYPT; level++) {
            RxperfClient c = client(level);
            c.call(Rxperf.OP_RPC, 4, 4, true);
            c.call(Rxperf.OP_SEND, 1 << 20, 0, true);
            c.call(Rxperf.OP_RECV, 0, 1 << 20, true);
            c.call(Rxperf.OP_RPC, 1 << 20, 1 << 20, true);
        }
        RxStats s = serverEndpoint.stats();
        assertEquals(3, s.get(Counter.CONNECTIONS_AUTHENTICATED), s.toString());
        assertTrue(s.get(Counter.CHALLENGES_SENT) >= 3, s.toString());
        assertEquals(12, s.get(Counter.CALLS_MADE_LIVE), s.toString());
        assertEquals(0, s.get(Counter.SECURED_PACKETS_REJECTED), s.toString());
        assertEquals(0, s.get(Counter.CALLS_DISCARDED), s.toString());
        assertEquals(0, s.get(Counter.DROP_SECURITY) + s.get(Counter.DROP_UNEXPECTED_RESPONSE), s.toString());
        RxStats c = clientEndpoint.stats();
        assertEquals(3, c.get(Counter.RESPONSES_SENT), c.toString());
        assertEquals(12, c.get(Counter.CALLS_SUCCEEDED), c.toString());
        assertEquals(0, c.get(Counter.SECURED_PACKETS_REJECTED) + c.get(Counter.DROP_SECURITY), c.toString());
    }

    /**
     * The jumbogram decision: a secured packet joins a jumbogram only if its body is exactly 1412 bytes, so
     * at clear and auth 1 MiB goes in fewer datagrams than packets, at crypt (padded to 1408) one each.
     */
    @Test
    void jumbogramsCarrySecuredPacketsAtClearAndAuthButNotAtCrypt() throws Exception {
        for (int level = SecurityLevels.CLEAR; level <= SecurityLevels.CRYPT; level++) {
            RxperfClient c = client(level);
            c.call(Rxperf.OP_RPC, 4, 4, true); // the handshake, and the peer's trailer (jumbo 4) learnt
            RxStats before = clientEndpoint.stats();
            c.call(Rxperf.OP_SEND, 1 << 20, 0, true);
            RxStats after = clientEndpoint.stats();
            long packets = after.get(Counter.DATA_PACKETS_SENT) - before.get(Counter.DATA_PACKETS_SENT);
            long datagrams = after.get(Counter.DATAGRAMS_SENT)
                    - before.get(Counter.DATAGRAMS_SENT)
                    - (after.get(Counter.ACKS_SENT) - before.get(Counter.ACKS_SENT));
            String what = SecurityLevels.name(level) + ": " + packets + " DATA packets in " + datagrams + " datagrams";
            if (level == SecurityLevels.CRYPT) assertEquals(packets, datagrams, what);
            else assertTrue(datagrams < packets * 3 / 4, what);
        }
        assertEquals(0, serverEndpoint.stats().get(Counter.SECURED_PACKETS_REJECTED));
    }

    @Test
    void callsWithoutSecurityStillServedWhenTheServiceAcceptsTheNullClass() throws Exception {
        new RxperfClient(clientEndpoint, serverEndpoint.localAddress(), CallOptions.DEFAULT)
                .call(Rxperf.OP_RPC, 1 << 20, 1 << 20, true);
        assertEquals(0, serverEndpoint.stats().get(Counter.CHALLENGES_SENT));
    }
}
