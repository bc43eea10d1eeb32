package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAFS's ptserver and vlserver with a server key (a KeyFile by the real {@code asetkey}, no NoAuth) in a
 * network namespace of the test's own, and the real {@code pts} / {@code vos} with {@code -localauth}
 * (a ticket minted from the same folder) administering them; without a ticket they are refused.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RxkadAgainstRealOpenAfsServersTest {
    private static final String KEY = "0123456789abcdef";
    private static final int KVNO = 7;

    private static TestNetwork net;
    private static AfsDbServers servers;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        OpenAfsPeers.require();
        net = TestNetwork.create();
        servers = AfsDbServers.withKey(net, dir.resolve("server"), KVNO, KEY);
        servers.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (servers != null) servers.close();
        if (net != null) net.close();
    }

    private static OpenAfsPeers.Output tool(String tool, List<String> auth, String... args) {
        List<String> cmd = new ArrayList<>(List.of(OpenAfsPeers.tool(tool)));
        cmd.addAll(List.of(args));
        cmd.addAll(auth);
        return OpenAfsPeers.run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    }

    @Test
    void ptsWithLocalAuthAdministersTheKeyedPtserverAndWithoutATicketIsRefused() {
        OpenAfsPeers.Output created = tool("pts", servers.localAuthArgs(), "createuser", "rxkad-carol");
        assertEquals(0, created.exitCode(), () -> created + servers.logs());
        OpenAfsPeers.Output examined = tool("pts", servers.localAuthArgs(), "examine", "rxkad-carol");
        assertEquals(0, examined.exitCode(), examined::toString);
        assertTrue(examined.stdout().startsWith("Name: rxkad-carol, id: "), examined::toString);

        OpenAfsPeers.Output refused = tool("pts", servers.toolArgs(servers.config), "createuser", "rxkad-mallory");
        assertNotEquals(0, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("Permission denied"), refused::toString);
    }

    @Test
    void vosWithLocalAuthListsTheKeyedVlserverInTheClearAndEncrypted() {
        for (List<String> encrypt : List.of(List.<String>of(), List.of("-encrypt"))) {
            List<String> args = new ArrayList<>(encrypt);
            args.addAll(servers.localAuthArgs());
            OpenAfsPeers.Output listed = tool("vos", args, "listvldb", "-noresolve");
            assertEquals(0, listed.exitCode(), listed::toString);
            assertTrue(listed.stdout().contains("Total entries: 0"), listed::toString);
        }
    }
}
