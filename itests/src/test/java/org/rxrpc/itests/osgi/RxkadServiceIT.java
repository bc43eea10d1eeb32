package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

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
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
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
        configure("org.rxrpc.rxkad", Map.of("key.3", KEY_HEX));
        int port = freeUdpPort();
        Map<String, Object> rxperf = new HashMap<>();
        rxperf.put("rxrpc.port", port);
        rxperf.put("rxrpc.backlog", 8);
        rxperf.put("rxrpc.maxLiveCalls", 8);
        rxperf.put("rxrpc.securityIndex", "0,2");
        rxperf.put("rxrpc.minimumLevel", "crypt");
        configure(RXPERF_PID, rxperf);
        bundle(RXPERF_BSN).start();
        ServerKeyRing keys = new ServerKeyRing(List.of(ServerKey.des(3, hex(KEY_HEX))));
        try (RxEndpoint client = openClient()) {
            CallOptions crypt = CallOptions.DEFAULT
                    .withHardTimeoutMillis(10_000)
                    .withSecurity(new RxkadClientSecurity(LocalAuth.mint(keys, now()), SecurityLevels.CRYPT));
            // The service listens once the rxkad bundle's ServerSecurity is there (the whiteboard retries).
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    new RxperfClient(client, server(port), crypt).call(Rxperf.OP_RPC, 1 << 20, 1 << 20, true);
                    break;
                } catch (RxCallAbortedException e) {
                    if (System.currentTimeMillis() > deadline) throw e;
                    Thread.sleep(200);
                }
            }
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

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
