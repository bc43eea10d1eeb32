package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;

/**
 * rxkad through Config Admin only, in a real Felix: the rxkad bundle gets a key (PID org.rxrpc.rxkad) and
 * registers its ServerSecurity; rxperf is configured to accept "0,2" at minimum crypt; a client with a
 * LocalAuth token of that key is served at crypt and refused RXKADLEVELFAIL at auth.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RxkadServiceIT extends RxOsgiTestSupport {
    private static final String KEY_HEX = "0123456789abcdef";

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        String dir = System.getProperty("rxrpc.itests.bundles", "target/osgi-bundles");
        Option[] base = super.config();
        Option[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = CoreOptions.bundle(
                new java.io.File(dir, "rxrpc-rxkad.jar").toURI().toString());
        return all;
    }

    @Test(timeout = 90_000)
    public void rxperfConfiguredForRxkadAtCryptServesCryptAndRefusesAuth() throws Exception {
        int port = startRxperfAcceptingRxkadAtCrypt(8);
        ServerKeyRing keys = new ServerKeyRing(List.of(ServerKey.des(3, hex(KEY_HEX))));
        try (RxEndpoint client = openClient()) {
            // The service listens once the rxkad bundle's ServerSecurity is there (the whiteboard retries).
            awaitServed(client, port, keys, 30_000);
            CallOptions crypt = cryptOptions(keys);
            new RxperfClient(client, server(port), crypt).call(Rxperf.OP_RPC, 1 << 20, 1 << 20, true);
            CallOptions auth =
                    crypt.withSecurity(new RxkadClientSecurity(LocalAuth.mint(keys, now()), SecurityLevels.AUTH));
            try {
                new RxperfClient(client, server(port), auth).call(Rxperf.OP_RPC, 4, 4, true);
                fail("served below the minimum level");
            } catch (RxCallAbortedException e) {
                assertEquals(SecurityAbortCodes.RXKADLEVELFAIL, e.abortCode());
            }
            assertTrue(client.stats().get(Counter.RESPONSES_SENT) >= 2);
        }
    }

    /**
     * The rxkad configuration deleted while a crypt call is in progress: the rxkad bundle's ServerSecurity
     * goes, so new rxkad connections are refused as an unknown class (RX_INVALID_OPERATION, counted
     * SECURITY_CLASS_REFUSED), while the call in progress finishes; configured again, new calls are served.
     */
    @Test(timeout = 120_000)
    public void rxperfFollowsTheRxkadConfigurationAsItIsDeletedAndComesBack() throws Exception {
        int port = startRxperfAcceptingRxkadAtCrypt(4);
        ServerKeyRing keys = new ServerKeyRing(List.of(ServerKey.des(3, hex(KEY_HEX))));
        try (RxEndpoint client = openClient()) {
            CallOptions crypt = cryptOptions(keys);
            awaitServed(client, port, keys, 30_000);

            // A call in progress: its request started (the service has it), not yet ended.
            int requestBytes = 64 * 1024;
            RxCall inProgress = client.newCall(server(port), Rxperf.SERVICE_ID, crypt, null);
            int first = 5000; // three whole packets go out at once, the rest waits for more
            ByteBuffer header = ByteBuffer.allocate(24 + first);
            header.putInt(Rxperf.VERSION)
                    .putInt(Rxperf.OP_RPC)
                    .putInt(requestBytes)
                    .putInt(requestBytes);
            header.putInt(requestBytes).putInt(4);
            Rxperf.fillPattern(header.array(), 24, first, 0);
            header.position(header.capacity()).flip();
            inProgress.send(header, false);
            RxEndpoint serverEndpoint = endpoints().endpoint(port);
            long live = System.currentTimeMillis() + 10_000;
            while (serverEndpoint.snapshot(10).calls().stream()
                    .noneMatch(c -> !c.client() && LocalAuth.PRINCIPAL.equals(c.principal()))) {
                if (System.currentTimeMillis() > live) fail("no live server call of principal afs");
                Thread.sleep(20);
            }

            ConfigurationAdmin cm = service(ConfigurationAdmin.class, 10_000);
            cm.getConfiguration("org.rxrpc.rxkad", "?").delete();
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    new RxperfClient(client, server(port), cryptOptions(keys)).call(Rxperf.OP_RPC, 4, 4, true);
                    if (System.currentTimeMillis() > deadline) fail("still served without the rxkad configuration");
                    Thread.sleep(100);
                } catch (RxCallAbortedException e) {
                    assertEquals(AbortCodes.RX_INVALID_OPERATION, e.abortCode());
                    break;
                }
            }
            assertTrue(serverEndpoint.stats().get(Counter.SECURITY_CLASS_REFUSED) >= 1);

            byte[] rest = new byte[requestBytes - first];
            Rxperf.fillPattern(rest, 0, rest.length, first);
            inProgress.send(ByteBuffer.wrap(rest), true);
            byte[] reply = inProgress.receiveMessage(100, 20, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("the call in progress finished: 4 bytes and the cookie", 8, reply.length);
            assertEquals(Rxperf.COOKIE, ByteBuffer.wrap(reply, 4, 4).getInt());
            inProgress.close();

            configure("org.rxrpc.rxkad", Map.of("key.3", KEY_HEX));
            awaitServed(client, port, keys, 30_000);
        }
    }

    /** rxkad keyed (PID org.rxrpc.rxkad), rxperf accepting "0,2" at minimum crypt on a free port: the port. */
    private int startRxperfAcceptingRxkadAtCrypt(int backlog) throws Exception {
        configure("org.rxrpc.rxkad", Map.of("key.3", KEY_HEX));
        int port = freeUdpPort();
        Map<String, Object> rxperf = new HashMap<>();
        rxperf.put("rxrpc.port", port);
        rxperf.put("rxrpc.backlog", backlog);
        rxperf.put("rxrpc.maxLiveCalls", backlog);
        rxperf.put("rxrpc.securityIndex", "0,2");
        rxperf.put("rxrpc.minimumLevel", "crypt");
        configure(RXPERF_PID, rxperf);
        bundle(RXPERF_BSN).start();
        return port;
    }

    private static CallOptions cryptOptions(ServerKeyRing keys) {
        return CallOptions.DEFAULT
                .withHardTimeoutMillis(10_000)
                .withSecurity(new RxkadClientSecurity(LocalAuth.mint(keys, now()), SecurityLevels.CRYPT));
    }

    /** Until a crypt call on a new connection is served (the service follows the rxkad bundle's class). */
    private static void awaitServed(RxEndpoint client, int port, ServerKeyRing keys, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (true) {
            try {
                new RxperfClient(client, server(port), cryptOptions(keys)).call(Rxperf.OP_RPC, 1 << 16, 1 << 16, true);
                return;
            } catch (RxCallAbortedException e) {
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(200);
            }
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
