package org.rxrpc.transport.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.ServiceStatus;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.RxEventLoopHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.transport.testutil.RxkadTestKeys;

/**
 * Over real UDP on loopback: a service sees exactly who called (RxCall.identity, securityIndex,
 * securityLevel) at auth and at crypt, for tokens minted for {@code admin} and for
 * {@code someone.else@OTHER.CELL}, on a handler thread and on the I/O thread (an event-loop handler); a
 * null-class call shows index 0, level 0 and no identity; and {@code rx:calls} lists a secured call's class,
 * level and principal (never a key or ticket).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CallersIdentityReachesServiceAndOperatorTest {
    private static final int THREADED = 4711;
    private static final int EVENT_LOOP = 4712;
    /** A request starting with this byte waits in the handler until the test lets it go. */
    private static final byte HOLD = 1;

    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost threaded;
    private ServiceHost eventLoop;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<SecurityIdentity[]> seenTwice = new AtomicReference<>();

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults());
        ServiceSecurity accepted = RxkadTestKeys.nullAndRxkad(RxkadTestKeys.KEY);
        RxCallHandler onThread = call -> {
            byte[] request = call.receiveMessage(16, 10, TimeUnit.SECONDS);
            if (request.length > 0 && request[0] == HOLD) {
                held.countDown();
                assertTrue(release.await(30, TimeUnit.SECONDS));
            }
            seenTwice.set(new SecurityIdentity[] {call.identity(), call.identity()});
            call.send(ByteBuffer.wrap(describe(call)), true);
        };
        RxEventLoopHandler onIoThread = new RxEventLoopHandler() {
            @Override
            public boolean onRequest(RxCall call, ByteBuffer request) throws Exception {
                call.send(ByteBuffer.wrap(describe(call)), true);
                return true;
            }

            @Override
            public void handle(RxCall call) {
                throw new AssertionError("served on the I/O thread, not here");
            }
        };
        threaded = ServiceHost.serve(serverEndpoint, THREADED, 8, accepted, 8, "identity", onThread, false);
        eventLoop = ServiceHost.serve(serverEndpoint, EVENT_LOOP, 8, accepted, 8, "identity-el", onIoThread, true);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (threaded != null) threaded.close();
        if (eventLoop != null) eventLoop.close();
        if (clientEndpoint != null) clientEndpoint.close();
        if (serverEndpoint != null) serverEndpoint.close();
    }

    /** What the service saw: "index level principal kvno identity-level", or "index level -" with no identity. */
    private static byte[] describe(RxCall call) {
        SecurityIdentity id = call.identity();
        String s = call.securityIndex() + " " + call.securityLevel() + " "
                + (id == null ? "-" : id.principal() + " " + id.kvno() + " " + id.level());
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CallOptions as(String name, String instance, String cell, int level) {
        return CallOptions.DEFAULT
                .withHardTimeoutMillis(20_000)
                .withSecurity(RxkadTestKeys.as(RxkadTestKeys.KEY, name, instance, cell, level));
    }

    private String call(int service, CallOptions options, byte first) throws InterruptedException {
        InetSocketAddress to = serverEndpoint.localAddress();
        byte[] reply = clientEndpoint.call(to, service, new byte[] {first, 2, 3, 4}, 256, options);
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void theServiceSeesExactlyThePrincipalTheTokenNamesAtAuthAndCrypt() throws Exception {
        for (int service : new int[] {THREADED, EVENT_LOOP}) {
            for (int level : new int[] {SecurityLevels.AUTH, SecurityLevels.CRYPT}) {
                assertEquals("2 " + level + " admin 7 " + level, call(service, as("admin", "", "", level), (byte) 0));
                assertEquals(
                        "2 " + level + " someone.else@OTHER.CELL 7 " + level,
                        call(service, as("someone", "else", "OTHER.CELL", level), (byte) 0));
            }
            assertEquals("0 0 -", call(service, CallOptions.DEFAULT.withHardTimeoutMillis(20_000), (byte) 0));
        }
    }

    @Test
    void theIdentityIsMadeOncePerConnectionAndNeverForAClientCall() throws Exception {
        CallOptions crypt = as("admin", "", "", SecurityLevels.CRYPT);
        call(THREADED, crypt, (byte) 0);
        SecurityIdentity[] first = seenTwice.get();
        assertSame(first[0], first[1]);
        call(THREADED, crypt, (byte) 0); // the same connection: the same object
        assertSame(first[0], seenTwice.get()[0]);

        RxCall client = clientEndpoint.newCall(serverEndpoint.localAddress(), THREADED, crypt, null);
        try {
            assertEquals(2, client.securityIndex());
            assertEquals(SecurityLevels.CRYPT, client.securityLevel());
            assertNull(client.identity());
        } finally {
            client.close();
        }
    }

    @Test
    void rxCallsListsTheClassLevelAndPrincipalOfASecuredCall() throws Exception {
        Thread caller = new Thread(() -> {
            try {
                call(THREADED, as("someone", "else", "OTHER.CELL", SecurityLevels.CRYPT), HOLD);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        try {
            assertTrue(held.await(20, TimeUnit.SECONDS));
            RxCommands commands = new RxCommands(endpoints(serverEndpoint));
            String listing = commands.calls();
            assertTrue(listing.contains("SECURITY"), listing);
            assertTrue(listing.contains("rxkad crypt someone.else@OTHER.CELL"), listing);
            assertFalse(listing.toLowerCase(java.util.Locale.ROOT).contains("ticket"), listing);
            String clientSide = new RxCommands(endpoints(clientEndpoint)).calls();
            assertTrue(clientSide.contains("rxkad crypt"), clientSide);
            assertFalse(clientSide.contains("someone"), clientSide);
        } finally {
            release.countDown();
            caller.join(20_000);
        }
    }

    private static RxEndpoints endpoints(RxEndpoint endpoint) {
        return new RxEndpoints() {
            @Override
            public RxEndpoint endpoint(int port) {
                return endpoint;
            }

            @Override
            public String bindAddress() {
                return "127.0.0.1";
            }

            @Override
            public List<ServiceStatus> services() {
                return List.of();
            }

            @Override
            public List<RxEndpoint> endpoints() {
                return List.of(endpoint);
            }
        };
    }
}
