package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;

/**
 * Bad edits of the watched {@code .cfg} files while the runtime runs: each is refused with one line naming
 * the PID, the key, the value and what is allowed, and the running service goes on serving; a misspelt key
 * is warned about. A good edit then takes effect.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BadSettingsAreRefusedTest {
    @TempDir
    Path temp;

    @Test
    void badEditsAreRefusedWithOneLineAndTheRunningServiceGoesOn() throws Exception {
        int port;
        int cmPort;
        int vlPort;
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                DatagramSocket c = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = a.getLocalPort();
            cmPort = b.getLocalPort();
            vlPort = c.getLocalPort();
        }
        Path etc = Files.createDirectories(temp.resolve("etc"));
        Path rxperf = etc.resolve("org.rxrpc.rxperf.cfg");
        Path transport = etc.resolve("org.rxrpc.transport.cfg");
        write(rxperf, "rxrpc.port = " + port + "\n");
        write(etc.resolve("org.rxrpc.cm.cfg"), "rxrpc.port = " + cmPort + "\n");
        write(etc.resolve("org.rxrpc.vl.sample.cfg"), "rxrpc.port = " + vlPort + "\n");
        write(transport, "bindAddress = 127.0.0.1\n");
        String listening = "rxrpc runtime: service 147 (rxperf) listening on udp 127.0.0.1:" + port;
        try (RuntimeProcess runtime = RuntimeProcess.start("run", "--etc", etc.toString())) {
            runtime.await(listening::equals);
            runtime.await(l -> l.startsWith("rxrpc runtime: started in "));

            write(rxperf, "rxrpc.port = " + port + "\nrxrpc.backlog = 0\n");
            runtime.await(l -> l.endsWith("WARN org.rxrpc.service.internal.HandlerWhiteboard - org.rxrpc.rxperf:"
                    + " configuration refused, the running one is kept: rxrpc.backlog = 0 is outside 1..32"));
            write(rxperf, "rxrpc.port = " + port + "\nverify = maybe\n");
            runtime.await(l -> l.endsWith("org.rxrpc.rxperf: configuration refused, the running one is kept:"
                    + " verify = 'maybe' must be true or false"));
            write(rxperf, "rxrpc.port = abc\n");
            runtime.await(l -> l.endsWith("org.rxrpc.rxperf: configuration refused, the running one is kept:"
                    + " rxrpc.port = 'abc' is not a number (0..65535)"));
            write(rxperf, "rxrpc.port = " + port + "\nrxrpc.prot = 7\n");
            runtime.await(l -> l.endsWith("org.rxrpc.rxperf: unknown key 'rxrpc.prot' ignored"));
            write(transport, "bindAddress = 127.0.0.1\nsendWindow = 300\n");
            runtime.await(l -> l.endsWith("org.rxrpc.transport: configuration refused, the running one is kept:"
                    + " sendWindow must be 1..255, not 300"));
            write(transport, "bindAddress = 127.0.0.1\ndebugAnswers = maybe\n");
            runtime.await(l -> l.endsWith("org.rxrpc.transport: configuration refused, the running one is kept:"
                    + " debugAnswers = 'maybe' must be ALL, LOCAL or NONE"));
            write(transport, "bindAddress = notanip\n");
            runtime.await(l -> l.contains("org.rxrpc.transport: configuration refused, the running one is kept:"
                    + " bindAddress must be an address of this machine"));
            write(transport, "bindAddress = 127.0.0.1\nsendWindw = 3\n");
            runtime.await(l -> l.contains("org.rxrpc.transport: unknown key 'sendWindw' ignored"));

            // Through it all the service kept its port and served.
            assertFalse(runtime.has(l -> l.contains("stopped listening")), runtime.output());
            rxperfCall(port);
            assertEquals(1, runtime.count(l -> l.contains("rxrpc transport active")), runtime.output());

            // A good edit takes effect: the transport restarts with it, and the service listens again (within
            // the reporter's 100 ms look, so the runtime's own lines may not show the gap: the log does).
            write(transport, "bindAddress = 127.0.0.1\nsendWindow = 64\n");
            runtime.await(l -> l.contains("org.rxrpc.transport: new settings"));
            String logged = "Rx service 147 (rxperf) listening on udp 127.0.0.1:" + port + " (backlog 32)";
            long listens = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (listens < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                listens = runtime.count(l -> l.endsWith(logged));
            }
            assertEquals(2, listens, runtime.output());
            rxperfCall(port);
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
        }
    }

    /** Written beside and moved in, so that FileInstall never reads half a file. */
    private static void write(Path file, String text) throws IOException, InterruptedException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, text);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(1100); // FileInstall polls every second and compares modification times
    }

    private static void rxperfCall(int port) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RxEndpoint client =
                    new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
                new RxperfClient(
                                client,
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                                CallOptions.DEFAULT.withHardTimeoutMillis(20_000))
                        .call(Rxperf.OP_RPC, 100, 100, true);
            }
        });
    }
}
