package org.rxrpc.rxperf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/** Load runs over real UDP on loopback: against our rxperf handler, a silent port, and a wrong service. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RxperfLoadTest {
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();

    private static RxEndpoint client() {
        return new RxTransportImpl().open(EndpointOptions.defaults().withBind("0.0.0.0", 0));
    }

    private static RxperfLoad.Settings settings(InetSocketAddress server, double seconds, double warmup) {
        return new RxperfLoad.Settings(server, Rxperf.OP_RPC, 100, 200, 2, 0, seconds, warmup, false, true);
    }

    @Test
    void runAgainstOurServerCountsCallsAndPrintsJsonAndAResultLine() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 8, 8, "rxperf", new RxperfHandler(true))) {
            RxEndpoint client = client();
            RxperfLoad.Result r = RxperfLoad.run(
                    settings(server.localAddress(), 1, 0.2), List.of(client), progress::add, failures::add);
            assertTrue(client.isClosed(), "the run closes its endpoints");
            assertTrue(r.succeeded(), r.summary().toString() + failures);
            assertTrue(r.ok() > 0 && r.warmupOk() > 0, r.resultLine());
            assertEquals(0, r.failed() + r.warmupFailed(), failures.toString());
            assertNull(r.error());
            assertTrue(
                    r.resultLine().startsWith("RESULT calls=" + r.ok() + " ok=" + r.ok() + " failed=0 "),
                    r.resultLine());
            assertTrue(r.resultLine().endsWith(" warmup_failed=0"), r.resultLine());
            String json = r.json();
            assertTrue(
                    json.startsWith(
                            "{\"server\":\"127.0.0.1:" + server.localAddress().getPort() + "\",\"mode\":\"rpc\","),
                    json);
            assertTrue(
                    json.contains("\"ok\":" + r.ok() + ",") && json.endsWith("\"succeeded\":true,\"error\":null}"),
                    json);
            assertTrue(progress.stream().anyMatch(l -> l.startsWith("[  1s] calls=")), progress.toString());
        }
    }

    /** Nothing answers: the run still ends within its time (not the 20 s dead time), and says why. */
    @Test
    void runAgainstASilentPortEndsWithinItsTimeAndSaysNothingAnswered() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            long start = System.nanoTime();
            RxperfLoad.Result r =
                    RxperfLoad.run(settings(target, 1.0, 0.5), List.of(client()), progress::add, failures::add);
            double took = (System.nanoTime() - start) / 1e9;
            assertTrue(took < 4, "took " + took + " s");
            assertFalse(r.succeeded());
            assertEquals(0, r.ok() + r.failed() + r.warmupOk() + r.warmupFailed(), r.resultLine());
            assertTrue(
                    r.error()
                            .startsWith("no call completed: " + "127.0.0.1:" + silent.getLocalPort()
                                    + " did not answer within 1.5 s"),
                    r.error());
            assertTrue(r.json().contains("\"succeeded\":false,\"error\":\"no call completed: "), r.json());
        }
    }

    /** A server that refuses every call (no such service): the warm-up's failures are counted too. */
    @Test
    void warmUpFailuresAreCountedAndShownOnce() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost other = ServiceHost.serve(server, 2000, 4, 4, "other", call -> {})) {
            RxperfLoad.Result r = RxperfLoad.run(
                    settings(server.localAddress(), 0.5, 0.5), List.of(client()), progress::add, failures::add);
            assertTrue(r.warmupFailed() > 0 && r.failed() > 0, r.resultLine());
            assertFalse(r.succeeded());
            assertEquals(
                    "every call failed (" + (r.failed() + r.warmupFailed()) + "): see the failures above", r.error());
            String first = failures.get(0);
            assertTrue(
                    first.matches("call \\d+ \\(warm-up\\) failed: call aborted by the peer with code -?\\d+ \\(.+\\)"),
                    first);
            assertEquals(1, first.split("code", -1).length - 1, "the code once: " + first);
            assertTrue(failures.size() <= 11, failures.toString());
        }
    }
}
