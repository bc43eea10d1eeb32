package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.itests.interop.OpenAfsPeers.ClientResult;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The OpenAFS library as the client ({@code rxperf_client}) against our {@link RxperfServer} in
 * kernel-service mode, with the payload pattern checked at both ends ({@code -V}, verify=true).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class OpenAfsClientToOurRxperfServerTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    private RxEndpoint endpoint;
    private ServiceHost server;
    private int port;

    @BeforeEach
    void start() {
        OpenAfsPeers.require();
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        port = endpoint.localAddress().getPort();
        server = ServiceHost.serve(endpoint, Rxperf.SERVICE_ID, 8, 16, "rxperf-worker", new RxperfHandler(true));
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) server.close();
        } finally {
            if (endpoint != null) endpoint.close();
        }
    }

    private String context() {
        return "our endpoint 127.0.0.1:" + port + " " + endpoint.stats() + " callsServed=" + server.callsServed();
    }

    /**
     * Runs the OpenAFS client and checks every call succeeded and our endpoint dropped nothing. Late ACKs
     * for a channel's previous call (the OpenAFS listener thread can still send them when the caller has
     * started the next call) are counted as {@link Counter#LATE_PACKETS}, not as drops.
     */
    private void runAndExpect(long calls, String... args) {
        ClientResult r = OpenAfsPeers.runClient(port, CLIENT_TIMEOUT, args);
        OpenAfsPeers.assertAllCallsSucceeded(r, calls, this::context);
        RxStats stats = endpoint.stats();
        assertEquals(0, stats.drops(), () -> "our endpoint dropped packets: " + context() + "\n" + r);
    }

    @Test
    void smallRpcWithVerifiedPatternSucceedsEveryCall() {
        runAndExpect(200, "-m", "rpc", "-s", "4", "-r", "4", "-n", "200", "-V", "-q");
    }

    @Test
    void oneMebibyteSendIsReceivedIntactByOurServer() {
        runAndExpect(4, "-m", "send", "-s", "1M", "-n", "4", "-V", "-q");
    }

    @Test
    void oneMebibyteRecvIsReceivedIntactByTheOpenAfsClient() {
        runAndExpect(4, "-m", "recv", "-r", "1M", "-n", "4", "-V", "-q");
    }

    @Test
    void oneMebibyteRpcBothWaysIsIntact() {
        runAndExpect(4, "-m", "rpc", "-s", "1M", "-r", "1M", "-n", "4", "-V", "-q");
    }

    @Test
    void eightConcurrentOpenAfsCallersWithSmallRpcsAllSucceed() {
        runAndExpect(400, "-m", "rpc", "-s", "4", "-r", "4", "-c", "8", "-n", "400", "-V", "-q");
    }

    @Test
    void eightConcurrentOpenAfsCallersWithOneMebibyteRpcsAllSucceed() {
        // -u 1024: the library's default 64 KiB socket buffer overflows with 8 MiB calls in flight
        // (BASELINE.md), which would only measure the C client's loss recovery.
        runAndExpect(16, "-m", "rpc", "-s", "1M", "-r", "1M", "-c", "8", "-n", "16", "-u", "1024", "-V", "-q");
    }
}
