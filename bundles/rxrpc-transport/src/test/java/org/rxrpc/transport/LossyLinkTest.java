package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.testutil.LossyUdpRelay;

/**
 * A bad network: seeded loss, duplication and reordering (10% each) on every datagram both ways.
 * Every call still ends with its exact bytes.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LossyLinkTest {

    @Test
    void everyCallEndsByteExactThroughTenPercentLossDuplicationAndReordering() throws Exception {
        try (RxEndpoint server = new RxTransportImpl().open(EndpointOptions.defaults());
                RxEndpoint client = new RxTransportImpl().open(EndpointOptions.defaults());
                ServiceHost rxperf =
                        ServiceHost.serve(server, Rxperf.SERVICE_ID, 32, 64, "rxperf-worker", new RxperfHandler(true));
                LossyUdpRelay relay = LossyUdpRelay.start(server.localAddress(), 20261128L, 0.10, 0.10, 0.10)) {
            long[] sizes = {0, 4, 1412, 1413, 6000, 70_000, 300_000, 1 << 20};
            int calls = 48;
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<?>> results = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                    long request = sizes[i % sizes.length];
                    long reply = sizes[(i * 5 + 3) % sizes.length];
                    results.add(pool.submit(() -> {
                        new RxperfClient(client, relay.address(), CallOptions.DEFAULT)
                                .call(Rxperf.OP_RPC, request, reply, true);
                        return null;
                    }));
                }
                for (Future<?> f : results) f.get(240, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
            RxStats c = client.stats();
            RxStats s = server.stats();
            assertEquals(calls, c.get(Counter.CALLS_SUCCEEDED), c.toString());
            assertTrue(
                    relay.dropped() > 0 && relay.duplicated() > 0 && relay.reordered() > 0, "the link was really bad");
            assertTrue(c.get(Counter.DATA_PACKETS_RETRANSMITTED) + s.get(Counter.DATA_PACKETS_RETRANSMITTED) > 0);
            assertTrue(s.get(Counter.DUPLICATE_DATA_RECEIVED) + c.get(Counter.DUPLICATE_DATA_RECEIVED) > 0);
            System.out.println("lossy link: relay dropped=" + relay.dropped() + " duplicated=" + relay.duplicated()
                    + " reordered=" + relay.reordered() + "\n client " + c + "\n server " + s);
        }
    }
}
