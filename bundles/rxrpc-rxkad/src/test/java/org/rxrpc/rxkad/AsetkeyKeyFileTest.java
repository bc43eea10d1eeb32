package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys written by OpenAFS's real {@code asetkey}: it only writes /etc/openafs/server, so it runs in a mount
 * namespace of its own where that folder is this test's temporary folder (root and unshare(1) needed; the
 * machine's folder is never touched). We read what it wrote, see a rotation, and OpenAFS's
 * tkt_DecodeTicket accepts a LocalAuth token minted from the key we read.
 */
class AsetkeyKeyFileTest {
    @TempDir
    Path dir;

    private void asetkey(String... args) throws Exception {
        String cmd = "mount --bind '" + dir + "' /etc/openafs/server && exec asetkey " + String.join(" ", args);
        OpenAfsTools.Result r = OpenAfsTools.run("unshare", "--mount", "sh", "-c", cmd);
        assertEquals(0, r.exitCode, "asetkey " + String.join(" ", args) + ": " + r.output);
    }

    @Test
    void keyFileMadeByAsetkeyIsReadAndRotates() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        OpenAfsTools.require(
                root
                        && Files.isExecutable(Path.of("/usr/sbin/asetkey"))
                        && Files.isDirectory(Path.of("/etc/openafs/server")),
                "asetkey (openafs-dbserver) run as root with /etc/openafs/server");
        Files.writeString(dir.resolve("ThisCell"), "example.test\n");
        Files.writeString(dir.resolve("CellServDB"), ">example.test\n127.0.0.1 #vl\n");
        asetkey("add", "3", "0123456789abcdef");
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(dir)) {
            assertArrayEquals(
                    Hex.bytes("0123456789abcdef"), folder.keys().des(3).key());
            asetkey("add", "4", "fedcba9876543210");
            asetkey("delete", "3");
            assertTrue(folder.reloadIfChanged());
            assertNull(folder.keys().des(3));
            ServerKey key = folder.keys().latestDes();
            assertEquals(4, key.kvno());

            long now = System.currentTimeMillis() / 1000;
            Token token = LocalAuth.mint(new ServerKeyRing(List.of(key)), now);
            Map<String, String> d = OpenAfsTools.xcheck("decodeticket", Hex.of(key.key()), Hex.of(token.ticket()));
            assertEquals("0", d.get("code"));
            assertEquals("afs", d.get("name"));
        }
    }
}
