package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.itests.interop.OpenAfsPeers.Output;
import org.rxrpc.transport.RxTransportImpl;

/** The OpenAFS client tools ({@code rxdebug}, {@code cmdebug}) against our endpoint. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAfsToolsAgainstOurEndpointTest {
    private RxEndpoint endpoint;
    private int port;

    @BeforeEach
    void open() {
        OpenAfsPeers.require();
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        port = endpoint.localAddress().getPort();
    }

    @AfterEach
    void close() {
        if (endpoint != null) endpoint.close();
    }

    @Test
    void rxdebugVersionPrintsOurVersionString() {
        Output out = OpenAfsPeers.run(
                Duration.ofSeconds(30), OpenAfsPeers.tool("rxdebug"), "127.0.0.1", Integer.toString(port), "-version");
        RxStats stats = endpoint.stats();
        assertFalse(out.timedOut(), () -> out + "\n" + stats);
        assertTrue(out.combined().contains("rxrpc-java"), () -> "no version string: " + out + "\n" + stats);
        assertTrue(stats.get(Counter.VERSION_REQUESTS_ANSWERED) > 0, stats::toString);
    }

    @Test
    void rxdebugStatisticsAndListsAreAnswered() {
        Output out = OpenAfsPeers.run(
                Duration.ofSeconds(30),
                OpenAfsPeers.tool("rxdebug"),
                "127.0.0.1",
                Integer.toString(port),
                "-rxstats",
                "-peers");
        assertEquals(0, out.exitCode(), out.toString());
        assertTrue(out.stdout().contains("Free packets:"), out.toString());
        assertTrue(out.stdout().contains("rx stats:"), out.toString());
        assertTrue(out.stdout().contains("Done."), "connection and peer lists ended: " + out);
    }

    @Test
    void cmdebugCallForServiceNobodyListensOnIsAbortedWithInvalidOperation() {
        // Something listens, but not service 1 (the cache manager's callback service cmdebug calls).
        endpoint.listenUser(147, 2, true);
        Output out = OpenAfsPeers.run(
                Duration.ofSeconds(40), OpenAfsPeers.tool("cmdebug"), "127.0.0.1", "-port", Integer.toString(port));
        RxStats stats = endpoint.stats();
        assertFalse(out.timedOut(), () -> out + "\n" + stats);
        assertTrue(
                out.combined().contains("invalid RPC (RX) operation"),
                () -> "cmdebug did not report RX_INVALID_OPERATION: " + out + "\n" + stats);
        assertTrue(stats.get(Counter.CALLS_FOR_UNKNOWN_SERVICE) > 0, stats::toString);
        assertTrue(stats.abortsSent().getOrDefault(AbortCodes.RX_INVALID_OPERATION, 0L) > 0, stats::toString);
        assertEquals(0, stats.get(Counter.CALLS_MADE_LIVE), stats::toString);
    }
}
