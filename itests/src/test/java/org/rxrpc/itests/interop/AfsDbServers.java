package org.rxrpc.itests.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenAFS's vlserver (UDP 7003) and ptserver (UDP 7002) as plain processes inside a {@link TestNetwork}, on a
 * configuration folder of the test's own: ThisCell, a CellServDB naming the namespace's address, the
 * databases and logs. Either unauthenticated administration ({@link #AfsDbServers(TestNetwork, Path)}): the
 * servers look for {@code NoAuth} in OpenAFS's fixed local folder, so each runs in a private mount namespace
 * where that folder is the test's {@code local/} (nothing outside the test folder changes); or with a server
 * key ({@link #withKey}): a {@code KeyFile} written by the real {@code asetkey}, no {@code NoAuth}, so only
 * rxkad callers holding a ticket sealed with that key (as {@code -localauth} mints) may administer.
 */
final class AfsDbServers implements AutoCloseable {
    static final String CELL = "rxgen.test";
    static final int PT_PORT = 7002;
    static final int VL_PORT = 7003;

    final Path config;
    private final TestNetwork net;
    private final List<Process> processes = new ArrayList<>();

    /** Servers that let anyone administer ({@code NoAuth}). */
    AfsDbServers(TestNetwork net, Path dir) {
        this(net, dir, 0, null);
    }

    /** Servers with the DES key {@code hexKey} as {@code kvno} in their KeyFile, and no {@code NoAuth}. */
    static AfsDbServers withKey(TestNetwork net, Path dir, int kvno, String hexKey) {
        ServerConfigFolder.require();
        return new AfsDbServers(net, dir, kvno, hexKey);
    }

    private AfsDbServers(TestNetwork net, Path dir, int kvno, String hexKey) {
        this.net = net;
        this.config = dir;
        try {
            Files.createDirectories(dir.resolve("local"));
            if (hexKey == null) {
                Files.writeString(dir.resolve("ThisCell"), CELL + "\n");
                Files.writeString(dir.resolve("CellServDB"), cellServDb(CELL, net.inner));
                Files.writeString(dir.resolve("local/NoAuth"), "");
            } else {
                ServerConfigFolder.create(dir, CELL, net.inner, kvno, hexKey);
            }
            start("ptserver", "pt", "PtLog");
            start("vlserver", "vl", "VLLog");
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    static String cellServDb(String cell, String address) {
        return ">" + cell + "    #rxgen test cell\n" + address + "    #db\n";
    }

    private void start(String server, String database, String log) throws IOException {
        String command =
                "mount --bind '" + config.resolve("local") + "' /var/lib/openafs/local && exec /usr/lib/openafs/"
                        + server + " -config '" + config + "' -database '" + config.resolve(database) + "' -logfile '"
                        + config.resolve(log) + "'";
        List<String> cmd = net.inside("unshare", "--mount", "sh", "-c", command);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(config.resolve(server + ".out").toFile())
                .start();
        processes.add(p);
    }

    /** Waits until both servers are their database's sync site and ubik finished recovery: writes work. */
    void awaitReady(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int port : new int[] {PT_PORT, VL_PORT}) {
            while (true) {
                OpenAfsPeers.Output u = OpenAfsPeers.run(
                        Duration.ofSeconds(10), OpenAfsPeers.tool("udebug"), net.inner, Integer.toString(port));
                if (u.stdout().contains("Recovery state 1f")) break; // elected and recovered
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no ubik sync site on port " + port + ":\n" + u + "\n" + logs());
                }
                Thread.sleep(500);
            }
        }
    }

    /** The servers' logs, for failure messages. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (String f : new String[] {"PtLog", "VLLog", "ptserver.out", "vlserver.out"}) {
            try {
                Path p = config.resolve(f);
                if (Files.exists(p)) b.append("--- ").append(f).append(":\n").append(Files.readString(p));
            } catch (IOException e) {
                b.append(e);
            }
        }
        return b.toString();
    }

    /** {@code vos}/{@code pts} arguments selecting this cell, unauthenticated. */
    List<String> toolArgs(Path configDir) {
        return List.of("-cell", CELL, "-config", configDir.toString(), "-noauth");
    }

    /** {@code vos}/{@code pts} arguments selecting this cell, with a ticket minted from the folder's KeyFile. */
    List<String> localAuthArgs() {
        return List.of("-cell", CELL, "-config", config.toString(), "-localauth");
    }

    @Override
    public void close() {
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
