package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.RxkadTestKeys;

/**
 * A listening service's classes change under it (RxService.changeSecurity, what the whiteboard does when a
 * ServerSecurity service goes or comes): with rxkad gone, new rxkad connections are refused as an unknown
 * class (raw ABORT RX_INVALID_OPERATION, counted) while the authenticated connection goes on, a call in
 * progress on it included; with rxkad back under another key, new connections use the new object, even
 * those that find connections preallocated under the old classes in the backlog (dropped, charged again).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceSecurityChangesReachNewConnectionsTest {
    private static final int SERVICE = 4747;
    private static final byte HOLD = 1;
    private static final ServerKey KEY_A = RxkadTestKeys.KEY;
    private static final ServerKey KEY_B = RxkadTestKeys.OTHER_KEY;

    private RxEndpoint server;
    private RxEndpoint client;
    private ServiceHost host;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        server = new RxTransportImpl().open(EndpointOptions.defaults());
        client = new RxTransportImpl().open(EndpointOptions.defaults());
        host = ServiceHost.serve(
                server,
                SERVICE,
                4,
                RxkadTestKeys.nullAndRxkad(KEY_A),
                8,
                "changes",
                call -> {
                    byte[] request = call.receiveMessage(16, 10, TimeUnit.SECONDS);
                    if (request[0] == HOLD) {
                        held.countDown();
                        assertTrue(release.await(30, TimeUnit.SECONDS));
                    }
                    SecurityIdentity id = call.identity();
                    String who = id == null ? "-" : id.principal() + " " + id.kvno();
                    call.send(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), true);
                },
                false);
    }

    @AfterEach
    void stop() {
        release.countDown();
        host.close();
        client.close();
        server.close();
    }

    /** Options for a new connection (a new ClientSecurity object) with a token of {@code name} under {@code key}. */
    private static CallOptions as(String name, ServerKey key) {
        return CallOptions.DEFAULT
                .withHardTimeoutMillis(20_000)
                .withSecurity(RxkadTestKeys.as(key, name, "", "", SecurityLevels.CRYPT));
    }

    private String call(CallOptions options, byte first) throws InterruptedException {
        byte[] reply = client.call(server.localAddress(), SERVICE, new byte[] {first}, 100, options);
        return new String(reply, StandardCharsets.UTF_8);
    }

    private long stat(Counter c) {
        return server.stats().get(c);
    }

    @Test
    void newConnectionsFollowTheClassesWhileAuthenticatedOnesGoOn() throws Exception {
        CallOptions alice = as("alice", KEY_A);
        assertEquals("alice 7", call(alice, (byte) 0));
        CompletableFuture<String> inProgress = CompletableFuture.supplyAsync(() -> {
            try {
                return call(alice, HOLD);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(held.await(20, TimeUnit.SECONDS));

        host.service().changeSecurity(ServiceSecurity.of(SecurityLevels.CLEAR, NullSecurity.INSTANCE));
        RxCallAbortedException refused =
                assertThrows(RxCallAbortedException.class, () -> call(as("carol", KEY_A), (byte) 0));
        assertEquals(AbortCodes.RX_INVALID_OPERATION, refused.abortCode());
        assertEquals(1, stat(Counter.SECURITY_CLASS_REFUSED));
        assertEquals("-", call(CallOptions.DEFAULT.withHardTimeoutMillis(20_000), (byte) 0));
        assertEquals("alice 7", call(alice, (byte) 0), "a new call on the authenticated connection");
        release.countDown();
        assertEquals("alice 7", inProgress.get(20, TimeUnit.SECONDS), "the call in progress finishes");

        long discardedBefore = stat(Counter.CALLS_DISCARDED);
        host.service().changeSecurity(RxkadTestKeys.nullAndRxkad(KEY_B));
        assertEquals("bob 4", call(as("bob", KEY_B), (byte) 0));
        assertTrue(
                stat(Counter.CALLS_DISCARDED) > discardedBefore,
                "a connection preallocated under the old classes was dropped: " + server.stats());
        RxCallAbortedException oldKey =
                assertThrows(RxCallAbortedException.class, () -> call(as("dave", KEY_A), (byte) 0));
        assertEquals(SecurityAbortCodes.RXKADUNKNOWNKEY, oldKey.abortCode());
        assertEquals("alice 7", call(alice, (byte) 0), "the connection authenticated before goes on");
        assertEquals(1, stat(Counter.SECURITY_CLASS_REFUSED));
    }

    @Test
    void aServiceWithNoClassLeftRefusesEveryNewConnection() throws Exception {
        host.service().changeSecurity(ServiceSecurity.NONE);
        RxCallAbortedException plain = assertThrows(
                RxCallAbortedException.class, () -> call(CallOptions.DEFAULT.withHardTimeoutMillis(20_000), (byte) 0));
        assertEquals(AbortCodes.RX_INVALID_OPERATION, plain.abortCode());
        host.service().changeSecurity(ServiceSecurity.of(SecurityLevels.CLEAR, NullSecurity.INSTANCE));
        assertEquals("-", call(CallOptions.DEFAULT.withHardTimeoutMillis(20_000), (byte) 0));
    }
}
