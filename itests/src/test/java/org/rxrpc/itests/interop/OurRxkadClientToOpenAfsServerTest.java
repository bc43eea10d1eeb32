package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.itests.interop.OpenAfsPeers.ServerProcess;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.OpenAfsKeyFolder;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.rxkad.Token;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.security.SecurityAbortCodes;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.transport.RxTransportImpl;

/**
 * Our {@link RxperfClient} with rxkad (a {@link LocalAuth} token from the KeyFile the real {@code asetkey}
 * wrote) against the OpenAFS library's rxkad server ({@code rxperf_server -k DIR -S LEVEL -V}, which checks
 * every request byte and counts the calls it served at each level): 4 B and 1 MiB both ways at every level,
 * and the OpenAFS server's refusals of a lower level and of a ticket under another key, as our client sees them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OurRxkadClientToOpenAfsServerTest {
    private static final int MIB = 1 << 20;

    private static Path keys;
    private static ServerKeyRing keyRing;
    private ServerProcess server;
    private RxEndpoint endpoint;

    @BeforeAll
    static void makeKeys(@TempDir Path dir) throws Exception {
        OpenAfsPeers.require();
        keys = ServerConfigFolder.loopbackTestKeys(dir);
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(keys)) {
            keyRing = folder.keys();
        }
    }

    @AfterEach
    void stop() {
        try {
            if (endpoint != null) endpoint.close();
        } finally {
            if (server != null) server.close();
        }
    }

    private RxperfClient client(int level, ServerKeyRing sealWith) throws InterruptedException {
        if (endpoint == null) {
            endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        }
        Token token = LocalAuth.mint(sealWith, System.currentTimeMillis() / 1000);
        CallOptions options = CallOptions.DEFAULT.withSecurity(new RxkadClientSecurity(token, level));
        return new RxperfClient(endpoint, new InetSocketAddress(OpenAfsPeers.LOOPBACK, server.port), options);
    }

    private static void calls(RxperfClient client, int n, long request, long reply) throws InterruptedException {
        for (int i = 0; i < n; i++) client.call(Rxperf.OP_RPC, request, reply, true);
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.CLEAR, SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void ourRxkadClientMakesSmallCallsAndReceivesOneMebibyteFromTheOpenAfsServerAtEachLevel(int level)
            throws Exception {
        String name = SecurityLevels.name(level);
        server = OpenAfsPeers.startServer("-V", "-k", keys.toString(), "-S", name);
        RxperfClient client = client(level, keyRing);
        try {
            for (int i = 0; i < 20; i++) client.call(Rxperf.OP_RPC, 4, 4, true);
            for (int i = 0; i < 2; i++) client.call(Rxperf.OP_RECV, 0, MIB, true);
        } catch (RuntimeException e) {
            throw new AssertionError(e + "\n" + endpoint.stats() + "\n" + server.log(), e);
        }
        assertServedAt(name, 22);
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.CLEAR, SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void ourRxkadClientSendsOneMebibyteBothWaysToTheOpenAfsServer(int level) throws Exception {
        String name = SecurityLevels.name(level);
        server = OpenAfsPeers.startServer("-V", "-k", keys.toString(), "-S", name);
        RxperfClient client = client(level, keyRing);
        try {
            for (int i = 0; i < 2; i++) client.call(Rxperf.OP_RPC, MIB, MIB, true);
        } catch (RuntimeException e) {
            throw new AssertionError(e + "\n" + endpoint.stats() + "\n" + server.log(), e);
        }
        assertServedAt(name, 2);
    }

    /** Stops the server and checks from its own count that it served exactly these calls at this level. */
    private void assertServedAt(String level, int calls) {
        String log = server.stopAndReadLog();
        assertTrue(log.contains("calls=" + calls + " errors=0 null=0 "), log);
        assertTrue(log.contains(" " + level + "=" + calls), log);
    }

    @Test
    void theOpenAfsServerRefusesOurLowerLevelAndATicketUnderAnotherKey() throws Exception {
        server = OpenAfsPeers.startServer("-V", "-k", keys.toString(), "-S", "crypt");
        RxperfClient auth = client(SecurityLevels.AUTH, keyRing);
        RxCallAbortedException low = assertThrows(RxCallAbortedException.class, () -> calls(auth, 1, 4, 4));
        assertEquals(SecurityAbortCodes.RXKADLEVELFAIL, low.abortCode(), low::toString);

        ServerKey own = keyRing.latestDes();
        ServerKeyRing other = new ServerKeyRing(List.of(ServerKey.des(
                own.kvno(), new byte[] {(byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54, 0x32, 0x10})));
        RxperfClient wrong = client(SecurityLevels.CRYPT, other);
        RxCallAbortedException bad = assertThrows(RxCallAbortedException.class, () -> calls(wrong, 1, 4, 4));
        assertEquals(SecurityAbortCodes.RXKADBADTICKET, bad.abortCode(), bad::toString);

        calls(client(SecurityLevels.CRYPT, keyRing), 1, 4, 4);
        assertServedAt("crypt", 1);
    }
}
