package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.itests.interop.OpenAfsPeers.ClientResult;
import org.rxrpc.rxkad.OpenAfsKeyFolder;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The OpenAFS library's rxkad client ({@code rxperf_client -S LEVEL}, a ticket minted as {@code -localauth}
 * does from a KeyFile the real {@code asetkey} wrote) against our rxperf service requiring that level, with
 * the keys of the same folder ({@link OpenAfsKeyFolder}): 4 B and 1 MiB both ways, every byte checked at
 * both ends; and the refusals the OpenAFS server gives ({@link OpenAfsRxkadPeersTest}) given by ours too.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenAfsRxkadClientToOurRxperfServerTest {
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private static Path keys;
    private static OpenAfsKeyFolder folder;
    private RxEndpoint endpoint;
    private ServiceHost server;
    private int port;

    @BeforeAll
    static void makeKeys(@TempDir Path dir) throws Exception {
        OpenAfsPeers.require();
        keys = ServerConfigFolder.loopbackTestKeys(dir);
        folder = OpenAfsKeyFolder.open(keys);
    }

    @AfterAll
    static void closeKeys() {
        if (folder != null) folder.close();
    }

    private void start(int minimumLevel) {
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        port = endpoint.localAddress().getPort();
        ServiceSecurity security = ServiceSecurity.of(
                minimumLevel, RxkadServerSecurity.builder(folder).build());
        server = ServiceHost.serve(
                endpoint, Rxperf.SERVICE_ID, 8, security, 16, "rxperf-worker", new RxperfHandler(true), true);
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

    private ClientResult client(String level, String... args) {
        List<String> all = new ArrayList<>(List.of("-m", "rpc", "-V", "-q", "-S", level));
        all.addAll(List.of(args));
        return OpenAfsPeers.runClient(port, CLIENT_TIMEOUT, all.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.CLEAR, SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void theOpenAfsRxkadClientSendsSmallCallsAndOneMebibyteToOurServerAtEachLevel(int level) {
        start(level);
        String name = SecurityLevels.name(level);
        ClientResult small = client(name, "-k", keys.toString(), "-s", "4", "-r", "4", "-n", "20");
        OpenAfsPeers.assertAllCallsSucceeded(small, 20, this::context);
        ClientResult large = client(name, "-k", keys.toString(), "-m", "send", "-s", "1M", "-n", "2");
        OpenAfsPeers.assertAllCallsSucceeded(large, 2, this::context);
        assertServedSecurely(22);
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.CLEAR, SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void ourServerRepliesOneMebibyteToTheOpenAfsRxkadClient(int level) {
        start(level);
        ClientResult large =
                client(SecurityLevels.name(level), "-k", keys.toString(), "-s", "1M", "-r", "1M", "-n", "2");
        OpenAfsPeers.assertAllCallsSucceeded(large, 2, this::context);
        assertServedSecurely(2);
    }

    private void assertServedSecurely(long calls) {
        assertEquals(calls, server.callsServed(), this::context);
        assertTrue(endpoint.stats().get(Counter.CONNECTIONS_AUTHENTICATED) >= 1, this::context);
        assertEquals(0, endpoint.stats().get(Counter.SECURED_PACKETS_REJECTED), this::context);
        assertEquals(0, endpoint.stats().get(Counter.RESPONSES_REJECTED), this::context);
    }

    @Test
    void ourServerRefusesNoSecurityALowerLevelAWrongKeyAndAnUnknownKvnoWithOpenAfsCodes() {
        start(SecurityLevels.CRYPT);
        String key = ServerConfigFolder.TEST_KEY;
        int kvno = ServerConfigFolder.TEST_KVNO;
        OpenAfsRxkadPeersTest.assertRefused(
                AbortCodes.RX_INVALID_OPERATION, OpenAfsPeers.runClient(port, CLIENT_TIMEOUT, "-n", "1", "-q"));
        OpenAfsRxkadPeersTest.assertRefused(
                SecurityAbortCodes.RXKADLEVELFAIL, client("auth", "-k", keys.toString(), "-n", "1"));
        OpenAfsRxkadPeersTest.assertRefused(
                SecurityAbortCodes.RXKADBADTICKET, client("crypt", "-K", kvno + ":fedcba9876543210", "-n", "1"));
        OpenAfsRxkadPeersTest.assertRefused(
                SecurityAbortCodes.RXKADUNKNOWNKEY, client("crypt", "-K", (kvno + 1) + ":" + key, "-n", "1"));
        assertEquals(0, server.callsServed(), this::context);
        OpenAfsPeers.assertAllCallsSucceeded(client("crypt", "-K", kvno + ":" + key, "-n", "1"), 1, this::context);
        assertEquals(1, endpoint.stats().get(Counter.SECURITY_CLASS_REFUSED), this::context);
        assertEquals(1, endpoint.stats().get(Counter.SECURITY_LEVEL_REFUSED), this::context);
        assertEquals(2, endpoint.stats().get(Counter.RESPONSES_REJECTED), this::context);
    }
}
