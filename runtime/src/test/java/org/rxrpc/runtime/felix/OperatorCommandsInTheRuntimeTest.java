package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rx:* commands in the embedded runtime: one-shot ({@code exec}) and in the interactive shell. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OperatorCommandsInTheRuntimeTest {

    private static int freeUdpPort(int... notThese) throws IOException {
        while (true) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int p = s.getLocalPort();
                boolean clash = false;
                for (int q : notThese) clash |= q == p;
                if (!clash) return p;
            }
        }
    }

    @Test
    void execRunsEachCommandPrintsItsOutputAndStops() throws Exception {
        int port = freeUdpPort();
        int cmPort = freeUdpPort(port);
        int vlPort = freeUdpPort(port, cmPort);
        try (RuntimeProcess exec = RuntimeProcess.start(
                "exec",
                "--rxperf-port",
                Integer.toString(port),
                "--cm-port",
                Integer.toString(cmPort),
                "--vl-port",
                Integer.toString(vlPort),
                "rx:services",
                "rx:endpoints",
                "rx:ping -c 1 127.0.0.1:" + port,
                "rx:rxperf --server 127.0.0.1:" + port + " --duration 1 --warmup 0.2 --concurrency 2 --json")) {
            assertEquals(0, exec.awaitExit(), exec.output());
            assertTrue(
                    exec.has(Pattern.compile("^147 +rxperf +LISTENING +127\\.0\\.0\\.1:" + port + " +32/32 +0 +0 +0")
                            .asPredicate()),
                    exec.output());
            assertTrue(
                    exec.has(Pattern.compile("^1 +cache manager \\(RXAFSCB\\) +LISTENING +127\\.0\\.0\\.1:" + cmPort)
                            .asPredicate()),
                    exec.output());
            assertTrue(
                    exec.has(l -> l.startsWith("127.0.0.1:" + port + "  native")
                            || l.startsWith("127.0.0.1:" + port + "  NIO")),
                    exec.output());
            assertTrue(
                    exec.has(l -> l.startsWith("VERSION reply from 127.0.0.1:" + port + " in ")
                            && l.endsWith(": rxrpc-java 0.1.0 Rx for the JVM")),
                    exec.output());
            assertTrue(
                    exec.has(l -> l.startsWith("PING_RESPONSE from 127.0.0.1:" + port + " (service 147) in ")),
                    exec.output());
            assertTrue(
                    exec.has(l -> l.startsWith("{\"server\":\"127.0.0.1:" + port + "\",\"mode\":\"rpc\"")
                            && l.contains("\"failed\":0,")
                            && l.endsWith("\"succeeded\":true,\"error\":null}")),
                    exec.output());
            assertTrue(exec.has(l -> l.startsWith("rxrpc runtime: framework stopped cleanly")), exec.output());
        }
    }

    @Test
    void execOfACommandThatFailsSaysWhyAndExits1() throws Exception {
        int port = freeUdpPort();
        int cmPort = freeUdpPort(port);
        int vlPort = freeUdpPort(port, cmPort);
        try (RuntimeProcess exec = RuntimeProcess.start(
                "exec",
                "--rxperf-port",
                Integer.toString(port),
                "--cm-port",
                Integer.toString(cmPort),
                "--vl-port",
                Integer.toString(vlPort),
                "rx:calls 1")) {
            assertEquals(1, exec.awaitExit(), exec.output());
            assertTrue(exec.has("exec: rx:calls 1: no open endpoint on port 1"::equals), exec.output());
        }
    }

    @Test
    void shellRunsTheCommandsTypedAndStopsTheRuntimeWhenItEnds() throws Exception {
        int port = freeUdpPort();
        int cmPort = freeUdpPort(port);
        int vlPort = freeUdpPort(port, cmPort);
        try (RuntimeProcess run = RuntimeProcess.start(
                "run",
                "--shell",
                "--rxperf-port",
                Integer.toString(port),
                "--cm-port",
                Integer.toString(cmPort),
                "--vl-port",
                Integer.toString(vlPort))) {
            run.await(l -> l.startsWith("rxrpc runtime: started in "));
            run.type("rx:services");
            run.await(Pattern.compile("147 +rxperf +LISTENING +127\\.0\\.0\\.1:" + port)
                    .asPredicate());
            run.type("rx:stats " + port);
            run.await(l -> l.endsWith("udp 127.0.0.1:" + port));
            run.endInput();
            assertEquals(0, run.awaitExit(), run.output());
            assertTrue(run.has(l -> l.startsWith("rxrpc runtime: framework stopped cleanly")), run.output());
            assertFalse(run.has(l -> l.contains("Exception")), run.output());
        }
    }
}
