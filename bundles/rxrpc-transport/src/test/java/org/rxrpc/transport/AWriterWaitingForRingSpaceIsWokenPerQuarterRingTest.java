package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;

/**
 * A writer faster than the network waits for transmit-ring space; the I/O thread wakes it once a quarter
 * of the ring is free, not at every ACK that frees a few slots (a context switch per ACK was 27% of the
 * server's CPU on 1 MiB replies to OpenAFS clients). Counted as the writer thread's voluntary context
 * switches while it sends 16 MiB: about one per 64 packets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AWriterWaitingForRingSpaceIsWokenPerQuarterRingTest {
    private static final int MIB = 16;

    @Test
    void sendingSixteenMibWakesTheWriterAboutOncePerQuarterRing() throws Exception {
        Path status = Path.of("/proc/thread-self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(status), "needs Linux's /proc");
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost host =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 4, 4, "rxperf", new RxperfHandler(false))) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) { // the least of three: a busy machine adds switches
                RxCall call = client.newCall(server.localAddress(), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null);
                ByteBuffer header = ByteBuffer.allocate(20)
                        .putInt(Rxperf.VERSION)
                        .putInt(Rxperf.OP_SEND)
                        .putInt(65536)
                        .putInt(65536)
                        .putInt(MIB << 20);
                header.flip();
                ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
                long before = voluntarySwitches(status);
                call.send(header, false);
                for (int i = 0; i < MIB * 16; i++) {
                    chunk.clear();
                    call.send(chunk, false);
                }
                long switches = voluntarySwitches(status) - before;
                call.send(ByteBuffer.allocate(0), true);
                assertEquals(4, TestCalls.readAll(call, 10).length, "the cookie");
                call.close();
                best = Math.min(best, switches);
            }
            long packets = (MIB << 20) / 1412;
            System.out.printf(
                    "writer of %d MiB (%d packets): %d voluntary context switches (one per %d packets)%n",
                    MIB, packets, best, packets / Math.max(1, best));
            assertTrue(best <= packets / 32, best + " context switches for " + packets + " packets");
        }
    }

    private static long voluntarySwitches(Path status) throws java.io.IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("voluntary_ctxt_switches:"))
                return Long.parseLong(line.substring(24).trim());
        }
        throw new IllegalStateException("no voluntary_ctxt_switches in " + status);
    }
}
