package org.rxrpc.transport.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.ServiceStatus;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServerSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/**
 * A whiteboard service that accepts "0,2" at minimum auth: it waits (FAILED, named) until a ServerSecurity
 * for index 2 is registered, then listens; rxkad at auth is served, clear is refused RXKADLEVELFAIL, and a
 * bad property is refused by name.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WhiteboardServiceSecurityTest {
    private static final int SERVICE = 4713;
    private static final ServerKeyRing KEYS = new ServerKeyRing(
            List.of(ServerKey.des(3, new byte[] {1, 35, 69, 103, (byte) 137, (byte) 171, (byte) 205, (byte) 239})));

    private RxEndpoint server;
    private final RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
    private final ServiceHost host = new ServiceHost("whiteboard-security", 8, call -> {
        byte[] request = call.receiveMessage(100, 10, TimeUnit.SECONDS);
        call.send(ByteBuffer.wrap(request), true);
        call.awaitCompletion(10, TimeUnit.SECONDS);
    });
    private final ServiceWhiteboard whiteboard = new ServiceWhiteboard(new ServiceWhiteboard.Ports() {
        @Override
        public synchronized RxEndpoint openShared(int port) {
            if (server == null) server = new RxTransportImpl().open(EndpointOptions.defaults());
            return server;
        }

        @Override
        public void released(int port) {}

        @Override
        public int defaultBacklog() {
            return 8;
        }
    });

    @AfterEach
    void stop() {
        whiteboard.deactivate();
        host.close();
        client.close();
        if (server != null) server.close();
    }

    private static Map<String, Object> props(Object indexes, Object level) {
        Map<String, Object> p = new HashMap<>();
        p.put(RxEndpoints.SERVICE_ID, SERVICE);
        p.put(RxEndpoints.PORT, 0);
        if (indexes != null) p.put(RxEndpoints.SECURITY_INDEX, indexes);
        if (level != null) p.put(RxEndpoints.MINIMUM_LEVEL, level);
        return p;
    }

    private ServiceStatus status() {
        return whiteboard.statuses().get(0);
    }

    private byte[] call(int level) throws Exception {
        InetSocketAddress to = server.localAddress();
        CallOptions o = CallOptions.DEFAULT.withSecurity(
                new RxkadClientSecurity(LocalAuth.mint(KEYS, System.currentTimeMillis() / 1000), level));
        return client.call(to, SERVICE, new byte[] {4, 2}, 100, o);
    }

    @Test
    void aServiceAcceptingRxkadListensOnceItsClassIsRegisteredAndEnforcesItsMinimumLevel() throws Exception {
        whiteboard.activate();
        Map<String, Object> p = props("0,2", "auth");
        whiteboard.addDiscard(host.discardNotifier(), p);
        whiteboard.addNewCall(host.newCallNotifier(), p);
        assertEquals(ServiceStatus.State.FAILED, status().state());
        assertTrue(status().detail().contains("rxrpc.securityIndex"), status().detail());

        whiteboard.addSecurity(RxkadServerSecurity.builder(KEYS).build(), Map.of(RxEndpoints.SECURITY_INDEX, 2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status().state() != ServiceStatus.State.LISTENING && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(ServiceStatus.State.LISTENING, status().state(), status().detail());

        assertArrayEquals(new byte[] {4, 2}, call(SecurityLevels.AUTH));
        assertArrayEquals(new byte[] {4, 2}, call(SecurityLevels.CRYPT));
        RxCallAbortedException e = assertThrows(RxCallAbortedException.class, () -> call(SecurityLevels.CLEAR));
        assertEquals(SecurityAbortCodes.RXKADLEVELFAIL, e.abortCode());
    }

    /**
     * The service follows its class: unregistered, new rxkad connections are refused as an unknown class
     * (RX_INVALID_OPERATION, counted, the reason in rx:services) while the authenticated connection goes on;
     * registered again with another key (a new configuration), new connections use it.
     */
    @Test
    void aListeningServiceFollowsItsSecurityClassAsItGoesAndComesBack() throws Exception {
        whiteboard.activate();
        ServerSecurity first = RxkadServerSecurity.builder(KEYS).build();
        whiteboard.addSecurity(first, Map.of(RxEndpoints.SECURITY_INDEX, 2));
        Map<String, Object> p = props("0,2", "auth");
        whiteboard.addDiscard(host.discardNotifier(), p);
        whiteboard.addNewCall(host.newCallNotifier(), p);
        assertEquals(ServiceStatus.State.LISTENING, status().state(), status().detail());
        CallOptions kept = options(KEYS, SecurityLevels.AUTH);
        assertArrayEquals(new byte[] {4, 2}, call(kept));

        whiteboard.removeSecurity(first);
        RxCallAbortedException refused =
                assertThrows(RxCallAbortedException.class, () -> call(options(KEYS, SecurityLevels.AUTH)));
        assertEquals(AbortCodes.RX_INVALID_OPERATION, refused.abortCode());
        assertEquals(1, server.stats().get(Counter.SECURITY_CLASS_REFUSED));
        assertEquals(ServiceStatus.State.LISTENING, status().state());
        assertTrue(status().detail().contains("security class [2]"), status().detail());
        assertArrayEquals(new byte[] {4, 2}, call(kept), "the authenticated connection goes on");

        ServerKeyRing rotated = new ServerKeyRing(List.of(
                ServerKey.des(4, new byte[] {(byte) 254, (byte) 220, (byte) 186, (byte) 152, 118, 84, 50, 16})));
        whiteboard.addSecurity(RxkadServerSecurity.builder(rotated).build(), Map.of(RxEndpoints.SECURITY_INDEX, 2));
        assertEquals("", status().detail());
        try {
            assertArrayEquals(new byte[] {4, 2}, call(options(rotated, SecurityLevels.CRYPT)));
        } catch (Exception ex) {
            throw new AssertionError(server.stats() + "\n" + server.snapshot(10) + "\n" + host, ex);
        }
        RxCallAbortedException oldKey =
                assertThrows(RxCallAbortedException.class, () -> call(options(KEYS, SecurityLevels.CRYPT)));
        assertEquals(SecurityAbortCodes.RXKADUNKNOWNKEY, oldKey.abortCode());
    }

    private static CallOptions options(ServerKeyRing keys, int level) {
        return CallOptions.DEFAULT
                .withHardTimeoutMillis(20_000)
                .withSecurity(new RxkadClientSecurity(LocalAuth.mint(keys, System.currentTimeMillis() / 1000), level));
    }

    private byte[] call(CallOptions o) throws Exception {
        return client.call(server.localAddress(), SERVICE, new byte[] {4, 2}, 100, o);
    }

    @Test
    void badSecurityPropertiesAreRefusedByName() {
        assertThrows(IllegalArgumentException.class, () -> SecurityProperties.indexes("0,x"));
        assertThrows(IllegalArgumentException.class, () -> SecurityProperties.indexes("2,2"));
        assertThrows(IllegalArgumentException.class, () -> SecurityProperties.indexes(256));
        assertThrows(IllegalArgumentException.class, () -> SecurityProperties.minimumLevel("secret"));
        assertArrayEquals(new int[] {0, 2}, SecurityProperties.indexes(new int[] {0, 2}));
        assertArrayEquals(new int[] {2}, SecurityProperties.indexes(List.of(2)));
        assertArrayEquals(new int[] {0}, SecurityProperties.indexes(null));
        assertEquals(SecurityLevels.CRYPT, SecurityProperties.minimumLevel("crypt"));
        assertEquals(SecurityLevels.AUTH, SecurityProperties.minimumLevel(1));
    }
}
