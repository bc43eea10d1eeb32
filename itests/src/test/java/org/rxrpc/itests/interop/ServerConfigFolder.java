package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An OpenAFS server configuration folder of the test's own ({@code ThisCell}, {@code CellServDB}) whose
 * {@code KeyFile} the real {@code asetkey} writes. asetkey writes only OpenAFS's fixed server folder, so it
 * runs in a private mount namespace where that folder is this one (root and unshare(1) needed).
 */
final class ServerConfigFolder {
    private static final Path ASETKEY = Path.of("/usr/sbin/asetkey");
    private static final Path FIXED_SERVER_FOLDER = Path.of("/etc/openafs/server");

    /** The DES key (and its kvno) of the rxperf tests' folders: a test key, thrown away with the folder. */
    static final String TEST_KEY = "0123456789abcdef";

    static final int TEST_KVNO = 7;

    private ServerConfigFolder() {}

    /** {@code dir/server}: a folder for cell rxkad.test on loopback with {@link #TEST_KEY} as {@link #TEST_KVNO}. */
    static Path loopbackTestKeys(Path dir) {
        return create(dir.resolve("server"), "rxkad.test", OpenAfsPeers.LOOPBACK, TEST_KVNO, TEST_KEY);
    }

    /** Skips (or with CI=true fails) where asetkey cannot run. */
    static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "asetkey's mount namespace needs root";
        else if (!Files.isExecutable(ASETKEY)) missing = ASETKEY + " is missing; run " + OpenAfsPeers.INSTALL_SCRIPT;
        else if (!Files.isDirectory(FIXED_SERVER_FOLDER))
            missing = FIXED_SERVER_FOLDER + " is missing (openafs-client)";
        else if (OpenAfsPeers.findInPath("unshare") == null) missing = "unshare(1) is missing (util-linux)";
        if (missing != null) OpenAfsPeers.skipOrFail(missing);
    }

    /** Makes {@code dir} a folder for {@code cell} served at {@code dbAddress}, with one DES key from asetkey. */
    static Path create(Path dir, String cell, String dbAddress, int kvno, String hexKey) {
        require();
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("ThisCell"), cell + "\n");
            Files.writeString(dir.resolve("CellServDB"), AfsDbServers.cellServDb(cell, dbAddress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asetkey(dir, "add", Integer.toString(kvno), hexKey);
        if (!Files.isRegularFile(dir.resolve("KeyFile"))) fail("asetkey wrote no KeyFile into " + dir);
        return dir;
    }

    /** Runs {@code asetkey args...} on {@code dir}. */
    static void asetkey(Path dir, String... args) {
        String command = "mount --bind '" + dir + "' " + FIXED_SERVER_FOLDER + " && exec " + ASETKEY + " "
                + String.join(" ", args);
        OpenAfsPeers.Output r = OpenAfsPeers.run(Duration.ofSeconds(20), "unshare", "--mount", "sh", "-c", command);
        if (r.exitCode() != 0) fail("asetkey " + args[0] + " failed: " + r);
    }
}
