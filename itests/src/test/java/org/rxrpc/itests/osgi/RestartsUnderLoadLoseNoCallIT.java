package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;

/**
 * 32 client threads keep calling rxperf while its bundle is stopped and started again and again: a
 * stopping service drains (calls in progress finish, new ones meet BUSY and retry) and the restarted one
 * serves the retries, so not one call fails.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestartsUnderLoadLoseNoCallIT extends RxOsgiTestSupport {
    private static final int CLIENTS = 32;
    private static final int CYCLES = 20;

    @Test(timeout = 180_000)
    public void thirtyTwoClientsLoseNoCallOverTwentyRestarts() throws Exception {
        int port = freeUdpPort();
        startRxperf(port, 8, 64, true);
        Bundle rxperf = bundle(RXPERF_BSN);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
        Thread[] clients = new Thread[CLIENTS];
        try (RxEndpoint endpoint = openClient()) {
            for (int i = 0; i < CLIENTS; i++) {
                clients[i] = new Thread(
                        () -> {
                            CallOptions options = CallOptions.DEFAULT.withHardTimeoutMillis(60_000);
                            while (!stop.get()) {
                                try {
                                    rpc(endpoint, port, 100, 100, options);
                                    served.incrementAndGet();
                                } catch (RxCallAbortedException e) {
                                    failed.computeIfAbsent(
                                                    e.state() + " " + AbortCodes.name(e.abortCode()),
                                                    k -> new AtomicLong())
                                            .incrementAndGet();
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "restart-client-" + i);
                clients[i].start();
            }
            long t0 = System.nanoTime();
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                sleep(200);
                rxperf.stop();
                sleep(100); // the service is away for a while: its clients meet BUSY and retry
                rxperf.start();
            }
            sleep(500);
            stop.set(true);
            for (Thread t : clients) t.join(70_000);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String report = CYCLES + " restarts in " + millis + " ms with " + CLIENTS + " clients: " + served
                    + " calls served, failed " + new TreeMap<>(failed);
            System.out.println(report);
            assertTrue("calls were served: " + report, served.get() > CYCLES * CLIENTS);
            assertEquals(
                    "failed calls: " + report,
                    0,
                    failed.values().stream().mapToLong(AtomicLong::get).sum());
        }
    }
}
