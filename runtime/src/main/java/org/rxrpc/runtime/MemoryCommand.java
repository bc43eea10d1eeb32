package org.rxrpc.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Heap per live call (issue 10, item 3): opens N client calls on one endpoint to a loopback port that never
 * answers, each with its 4-byte request sent (so each is live: queued, transmitted, retransmitting), and
 * prints the heap in use after a full GC before and with them, and the difference per call (their
 * connections included: four calls share one). A client call and a server call are the same object, rings
 * and state in this transport.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = "Heap per live call: N client calls to a silent loopback port, heap before and with them.")
final class MemoryCommand implements Callable<Integer> {
    @Option(
            names = "--calls",
            defaultValue = "2000",
            description = "Live calls to hold (default ${DEFAULT-VALUE}, at most 100000).")
    int calls;

    @Override
    public Integer call() throws Exception {
        if (calls < 1 || calls > 100_000) {
            System.err.println("memory: --calls must be 1..100000, not " + calls);
            return 2;
        }
        InetAddress loopback = InetAddress.getLoopbackAddress();
        RxCall[] live = new RxCall[calls];
        try (DatagramSocket silent = new DatagramSocket(0, loopback);
                RxEndpoint endpoint =
                        new RxTransportImpl().open(EndpointOptions.defaults().withBind(loopback.getHostAddress(), 0))) {
            InetSocketAddress to = new InetSocketAddress(loopback, silent.getLocalPort());
            long before = heapAfterGc();
            byte[] request = {0, 0, 0, 1};
            for (int i = 0; i < calls; i++) {
                live[i] = endpoint.newCall(to, 147, CallOptions.DEFAULT, null);
                live[i].send(request, 0, request.length, true);
            }
            Thread.sleep(500); // the I/O thread starts them all and sends their requests
            long with = heapAfterGc();
            int stillLive = 0;
            for (RxCall c : live) if (!c.state().isComplete()) stillLive++;
            System.out.printf(
                    "heap in use after a full GC: %d KiB before, %d KiB with %d live calls (%d still live at the"
                            + " measurement; 4 calls a connection): %.0f bytes per live call%n",
                    before / 1024, with / 1024, calls, stillLive, (with - before) / (double) calls);
            for (RxCall c : live) c.close();
            return stillLive == calls ? 0 : 1;
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
