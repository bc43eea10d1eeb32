package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RawPacket;
import org.rxrpc.transport.testutil.RawRxSocket;

/** The handshake's timers and the client's answers, against raw peers on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChallengeResendAndAnswerTest {
    private static final int SERVICE = 4714;

    /** What a client that never answers sees of a server with {@code options}: CHALLENGEs, then the ABORT. */
    private record Unanswered(int challenges, RawPacket abort, double seconds, RxStats server) {}

    private static Unanswered neverAnswer(EndpointOptions options) throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(options);
                ServiceHost host = ServiceHost.serve(
                        server,
                        SERVICE,
                        4,
                        ServiceSecurity.of(
                                SecurityLevels.CLEAR,
                                RxkadServerSecurity.builder(RxkadCallsOverLoopbackTest.KEYS)
                                        .build()),
                        4,
                        "silent",
                        call -> call.abort(1),
                        false);
                RawRxkadClient c = new RawRxkadClient(
                        server.localAddress(),
                        SERVICE,
                        0x1000,
                        new RxkadClientSecurity(
                                LocalAuth.mint(RxkadCallsOverLoopbackTest.KEYS, System.currentTimeMillis() / 1000),
                                SecurityLevels.CRYPT))) {
            long t0 = System.nanoTime();
            c.sendRequest(1, new byte[] {1}, null);
            int challenges = 0;
            RawPacket abort = null;
            long bound = options.challengeTimeoutMillis() + 5000;
            while (abort == null && System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(bound)) {
                byte[] d = c.socket.receive(Duration.ofSeconds(3));
                if (d == null) continue;
                RawPacket p = RawPacket.parse(d);
                if (p.type() == RawPacket.TYPE_CHALLENGE) challenges++;
                if (p.type() == RawPacket.TYPE_ABORT) abort = p;
            }
            assertNotNull(abort, "the held call is aborted in the end");
            return new Unanswered(challenges, abort, (System.nanoTime() - t0) / 1e9, server.stats());
        }
    }

    @Test
    void anUnansweredChallengeIsResentEveryTwoSecondsThenTheHeldCallIsAbortedCallDead() throws Exception {
        Unanswered u = neverAnswer(EndpointOptions.defaults());
        assertEquals(5, u.challenges(), "at 0, 2, 4, 6 and 8 s");
        assertEquals(1, u.abort().callNumber());
        assertEquals(AbortCodes.RX_CALL_DEAD, RawRxkadClient.code(u.abort()));
        assertEquals(10, Math.round(u.seconds()), "5 challenges 2 s apart: " + u.seconds());
        RxStats s = u.server();
        assertEquals(1, s.get(Counter.CHALLENGES_UNANSWERED), s.toString());
        assertEquals(1, s.get(Counter.CALLS_DISCARDED), s.toString());
        assertEquals(0, s.get(Counter.CALLS_MADE_LIVE), s.toString());
    }

    /** challengeTimeoutMillis bounds the wait: 3 s gives challenges at 0 and 2 s, and the abort at 3 s. */
    @Test
    void theChallengeTimeoutIsTheEndpointsSetting() throws Exception {
        Unanswered u = neverAnswer(
                EndpointOptions.builder().challengeTimeoutMillis(3000).build());
        assertEquals(2, u.challenges());
        assertEquals(AbortCodes.RX_CALL_DEAD, RawRxkadClient.code(u.abort()));
        assertEquals(3, Math.round(u.seconds()), "given up after 3 s: " + u.seconds());
        assertEquals(1, u.server().get(Counter.CHALLENGES_UNANSWERED));
        assertEquals(10_000, EndpointOptions.defaults().challengeTimeoutMillis());
        assertThrows(
                IllegalArgumentException.class,
                () -> EndpointOptions.builder().challengeTimeoutMillis(99).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> EndpointOptions.builder().challengeTimeoutMillis(600_001).build());
    }

    @Test
    void aNullClassClientEchoesTheChallengeAsOpenAfsRxNullDoes() throws Exception {
        try (RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                RawRxSocket server = RawRxSocket.open()) {
            RxCall call = client.newCall(server.address(), SERVICE, CallOptions.DEFAULT, null);
            call.send(ByteBuffer.wrap(new byte[] {7}), true);
            RawPacket data = RawPacket.parse(server.receive(Duration.ofSeconds(5)));
            byte[] challenge = {0, 0, 0, 2, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0};
            server.send(
                    client.localAddress(),
                    RawRxSocket.packet(
                            RawRxSocket.header(
                                    data.epoch(),
                                    data.cid() & ~3,
                                    0,
                                    0,
                                    1,
                                    RawPacket.TYPE_CHALLENGE,
                                    0,
                                    0,
                                    0,
                                    0,
                                    SERVICE),
                            challenge));
            RawPacket response = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (response == null && System.nanoTime() < deadline) {
                byte[] d = server.receive(Duration.ofSeconds(1));
                if (d != null && RawPacket.parse(d).type() == RawPacket.TYPE_RESPONSE) response = RawPacket.parse(d);
            }
            assertNotNull(response);
            assertArrayEquals(challenge, response.body());
            assertEquals(0, response.callNumber());
            assertEquals(1, client.stats().get(Counter.RESPONSES_SENT));
            call.close();
        }
    }
}
