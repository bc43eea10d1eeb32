package org.rxrpc.itests.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of the test's own behind a veth pair, for servers that refuse loopback (ubik):
 * {@code inner} (x.x.x.1) inside, {@code outer} (x.x.x.2) on the host side, in a /24 of 10.251.0.0/16 that
 * no route of the machine uses. Needs root and ip(8). {@link #close()} removes the namespace and the pair.
 */
final class TestNetwork implements AutoCloseable {
    final String namespace;
    final String inner;
    final String outer;
    private final String hostLink;
    private boolean closed;

    private TestNetwork(String namespace, String hostLink, String inner, String outer) {
        this.namespace = namespace;
        this.hostLink = hostLink;
        this.inner = inner;
        this.outer = outer;
    }

    /** Skips (or with CI=true fails) without root or ip(8). */
    static void require() {
        String missing = null;
        if (!"root".equals(System.getProperty("user.name"))) missing = "network namespace tests run as root";
        else if (OpenAfsPeers.findInPath("ip") == null) missing = "ip(8) is missing (iproute2)";
        else if (!Files.isExecutable(Path.of("/usr/lib/openafs/vlserver"))) {
            missing = "/usr/lib/openafs/vlserver is missing; run " + OpenAfsPeers.INSTALL_SCRIPT;
        }
        if (missing != null) OpenAfsPeers.skipOrFail(missing);
    }

    static TestNetwork create() {
        require();
        long pid = ProcessHandle.current().pid();
        int tag = ThreadLocalRandom.current().nextInt(1 << 16);
        String ns = "rxgen-" + pid + "-" + tag;
        String id = Integer.toHexString((int) (pid % 0xFFFF)) + Integer.toHexString(tag);
        String host = "rxh" + id;
        String peer = "rxn" + id;
        String subnet = freeSubnet();
        TestNetwork net = new TestNetwork(ns, host, subnet + ".1", subnet + ".2");
        try {
            ip("netns", "add", ns);
            ip("link", "add", host, "type", "veth", "peer", "name", peer);
            ip("link", "set", peer, "netns", ns);
            ip("addr", "add", net.outer + "/24", "dev", host);
            ip("link", "set", host, "up");
            ip("netns", "exec", ns, "ip", "addr", "add", net.inner + "/24", "dev", peer);
            ip("netns", "exec", ns, "ip", "link", "set", peer, "up");
            ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** A 10.251.N prefix that no route of the machine covers. */
    private static String freeSubnet() {
        String routes = OpenAfsPeers.run(Duration.ofSeconds(10), "ip", "-4", "route", "show")
                .stdout();
        for (int attempt = 0; attempt < 50; attempt++) {
            String prefix = "10.251." + ThreadLocalRandom.current().nextInt(1, 255);
            if (!routes.contains(prefix + ".")) return prefix;
        }
        throw new IllegalStateException("no free 10.251.N.0/24:\n" + routes);
    }

    static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        OpenAfsPeers.Output r = OpenAfsPeers.run(Duration.ofSeconds(20), cmd.toArray(String[]::new));
        if (r.exitCode() != 0) throw new IllegalStateException("ip failed: " + r);
    }

    /** A command run inside the namespace. */
    List<String> inside(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(command));
        return cmd;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // deleting the host end deletes its peer; deleting the namespace takes whatever is left in it
        OpenAfsPeers.run(Duration.ofSeconds(20), "ip", "link", "del", hostLink);
        OpenAfsPeers.run(Duration.ofSeconds(20), "ip", "netns", "del", namespace);
    }
}
