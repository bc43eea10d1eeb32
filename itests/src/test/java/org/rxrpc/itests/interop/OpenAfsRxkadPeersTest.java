package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.itests.interop.OpenAfsPeers.ClientResult;
import org.rxrpc.itests.interop.OpenAfsPeers.ServerProcess;
import org.rxrpc.security.SecurityAbortCodes;

/**
 * The C rxperf peers with rxkad (Debian's libafsrpc and libafsauthent) against each other, the baseline
 * of the Java-to-C rxkad tests: the server takes its keys from a server configuration folder whose
 * {@code KeyFile} the real {@code asetkey} wrote, the client mints a ticket from the same folder as
 * {@code -localauth} does. Every level carries 4 B and 1 MiB both ways, byte-checked at both ends, and the
 * server counts the calls it served at each level; OpenAFS's own refusals are pinned with their codes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpenAfsRxkadPeersTest {
    private static final String KEY = ServerConfigFolder.TEST_KEY;
    private static final int KVNO = ServerConfigFolder.TEST_KVNO;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private static Path keys;

    @BeforeAll
    static void makeKeys(@TempDir Path dir) {
        OpenAfsPeers.require();
        keys = ServerConfigFolder.loopbackTestKeys(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"clear", "auth", "crypt"})
    void cClientAndCServerCarrySmallAndOneMebibyteCallsAtEachLevel(String level) throws Exception {
        ServerProcess server = OpenAfsPeers.startServer("-V", "-k", keys.toString(), "-S", level);
        try {
            ClientResult small = client(server, level, "-k", keys.toString(), "-s", "4", "-r", "4", "-n", "20");
            OpenAfsPeers.assertAllCallsSucceeded(small, 20, server::log);
            ClientResult large = client(server, level, "-k", keys.toString(), "-s", "1M", "-r", "1M", "-n", "2");
            OpenAfsPeers.assertAllCallsSucceeded(large, 2, server::log);
        } finally {
            String log = server.stopAndReadLog();
            assertTrue(log.contains(" null=0 "), log);
            assertTrue(log.contains(" " + level + "=22"), log);
        }
    }

    @Test
    void theOpenAfsServerRefusesNoSecurityALowerLevelAWrongKeyAndAnUnknownKvno() throws Exception {
        try (ServerProcess server = OpenAfsPeers.startServer("-V", "-k", keys.toString(), "-S", "crypt")) {
            assertRefused(
                    AbortCodes.RX_INVALID_OPERATION,
                    OpenAfsPeers.runClient(server.port, CLIENT_TIMEOUT, "-n", "1", "-q"));
            assertRefused(SecurityAbortCodes.RXKADLEVELFAIL, client(server, "auth", "-k", keys.toString(), "-n", "1"));
            assertRefused(
                    SecurityAbortCodes.RXKADBADTICKET,
                    client(server, "crypt", "-K", KVNO + ":fedcba9876543210", "-n", "1"));
            assertRefused(
                    SecurityAbortCodes.RXKADUNKNOWNKEY,
                    client(server, "crypt", "-K", (KVNO + 1) + ":" + KEY, "-n", "1"));
            ClientResult right = client(server, "crypt", "-K", KVNO + ":" + KEY, "-n", "1");
            OpenAfsPeers.assertAllCallsSucceeded(right, 1, server::log);
        }
    }

    /** {@code rxperf_client -m rpc -V -q -S LEVEL args...} against the server. */
    private static ClientResult client(ServerProcess server, String level, String... args) {
        List<String> all = new ArrayList<>(List.of("-m", "rpc", "-V", "-q", "-S", level));
        all.addAll(List.of(args));
        return OpenAfsPeers.runClient(server.port, CLIENT_TIMEOUT, all.toArray(String[]::new));
    }

    static void assertRefused(int code, ClientResult r) {
        assertEquals(0, r.ok(), r::toString);
        assertEquals(1, r.failed(), r::toString);
        assertTrue(r.output().stderr().contains(", code " + code + "\n"), r::toString);
    }
}
