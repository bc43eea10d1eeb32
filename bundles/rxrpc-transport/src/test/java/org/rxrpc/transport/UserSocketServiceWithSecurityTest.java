package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.transport.testutil.RxkadTestKeys;

/**
 * User-socket mode with security, as a Linux AF_RXRPC server socket with a security keyring: a service
 * accepting rxkad at crypt only serves crypt calls (accept, and manual charges with their IDs) with the
 * caller's identity; an auth call is aborted RXKADLEVELFAIL and a null-class one RX_INVALID_OPERATION without
 * anything reaching accept, and the calls their failed handshakes took from the backlog are charged again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UserSocketServiceWithSecurityTest {
    private static final ServerKey KEY = RxkadTestKeys.KEY;
    private static final int SERVICE = 4646;
    private static final int BACKLOG = 2;

    private RxEndpoint server;
    private RxEndpoint client;
    private final ServiceSecurity cryptOnly = ServiceSecurity.of(
            SecurityLevels.CRYPT,
            RxkadServerSecurity.builder(new ServerKeyRing(List.of(KEY))).build());

    @BeforeEach
    void open() {
        server = new RxTransportImpl().open(EndpointOptions.defaults());
        client = new RxTransportImpl().open(EndpointOptions.defaults());
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private static CallOptions as(String name, int level) {
        return CallOptions.DEFAULT
                .withHardTimeoutMillis(20_000)
                .withSecurity(RxkadTestKeys.as(KEY, name, "", "", level));
    }

    /** A client call sending {@code request}; the reply is read by the caller. */
    private RxCall send(CallOptions options, byte[] request) throws InterruptedException {
        RxCall c = client.newCall(server.localAddress(), SERVICE, options, null);
        c.send(ByteBuffer.wrap(request), true);
        return c;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Serves a crypt call through {@code accepted}: identity and level as the token says, 64 KiB echoed. */
    private static void echoAndCheck(RxCall accepted, RxCall caller, byte[] request) throws InterruptedException {
        assertEquals(2, accepted.securityIndex());
        assertEquals(SecurityLevels.CRYPT, accepted.securityLevel());
        assertEquals("admin", accepted.identity().principal());
        TestCalls.echo(accepted);
        assertArrayEquals(request, TestCalls.readAll(caller, 30));
        accepted.close();
        caller.close();
    }

    @Test
    void onlyCryptCallsReachAcceptAndFailedHandshakesAreChargedAgain() throws Exception {
        RxUserService service = server.listenUser(SERVICE, BACKLOG, cryptOnly, true);
        byte[] request = bytes(64 * 1024);

        RxCall good = send(as("admin", SecurityLevels.CRYPT), request);
        RxCall accepted = service.accept(1, null, 10, TimeUnit.SECONDS);
        assertNotNull(accepted);
        echoAndCheck(accepted, good, request);

        // More failed handshakes than the backlog holds: each took a charged call, each is charged again.
        for (int i = 0; i < BACKLOG + 2; i++) {
            RxCall low = send(as("admin", SecurityLevels.AUTH), new byte[] {1});
            RxCallAbortedException refused =
                    assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(low, 10));
            assertEquals(SecurityAbortCodes.RXKADLEVELFAIL, refused.abortCode());
            low.close();
            assertNull(service.accept(100 + i, null, 200, TimeUnit.MILLISECONDS), "nothing offered to accept");
        }
        RxCall plain = send(CallOptions.DEFAULT.withHardTimeoutMillis(20_000), new byte[] {1});
        RxCallAbortedException unknownClass =
                assertThrows(RxCallAbortedException.class, () -> TestCalls.readAll(plain, 10));
        assertEquals(AbortCodes.RX_INVALID_OPERATION, unknownClass.abortCode());
        plain.close();
        assertEquals(BACKLOG, ((UserSocketListener) service).backlog.calls.count(), "the backlog is whole again");

        RxCall again = send(as("admin", SecurityLevels.CRYPT), request);
        RxCall acceptedAgain = service.accept(2, null, 10, TimeUnit.SECONDS);
        assertNotNull(acceptedAgain);
        echoAndCheck(acceptedAgain, again, request);

        assertEquals(BACKLOG + 2, server.stats().get(Counter.SECURITY_LEVEL_REFUSED), server.stats()::toString);
        assertEquals(1, server.stats().get(Counter.SECURITY_CLASS_REFUSED), server.stats()::toString);
        service.close();
    }

    @Test
    void manuallyChargedCallsCarryTheirIdAndTheCallersIdentity() throws Exception {
        RxUserService service = server.listenUser(SERVICE, BACKLOG, cryptOnly, false);
        service.chargeAccept(77, null);
        byte[] request = bytes(1000);
        RxCall caller = send(as("admin", SecurityLevels.CRYPT), request);
        RxCall live = service.nextChargedCall(10, TimeUnit.SECONDS);
        assertNotNull(live);
        assertEquals(77, live.userCallId());
        echoAndCheck(live, caller, request);
        service.close();
    }
}
