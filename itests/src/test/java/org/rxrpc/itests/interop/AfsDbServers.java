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
 * databases and logs. Unauthenticated administration: the servers look for {@code NoAuth} in OpenAFS's
 * fixed local folder, so each runs in a private mount namespace where that folder is the test's
 * {@code local/} (nothing outside the test folder changes).
 */
final class AfsDbServers implements AutoCloseable {
    static final String CELL = "rxgen.test";
    static final int PT_PORT = 7002;
    static final int VL_PORT = 7003;

    final Path config;
    private final TestNetwork net;
    private final List<Process> processes = new ArrayList<>();

    AfsDbServers(TestNetwork net, Path dir) {
        this.net = net;
        this.config = dir;
        try {
            Files.createDirectories(dir.resolve("local"));
            Files.writeString(dir.resolve("ThisCell"), CELL + "\n");
            Files.writeString(dir.resolve("CellServDB"), cellServDb(CELL, net.inner));
            Files.writeString(dir.resolve("local/NoAuth"), "");
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
