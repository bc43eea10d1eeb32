package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.Counter;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxTransport;
import org.rxrpc.rxperf.Rxperf;

/**
 * Item 4: hot plug. Stopping the rxperf bundle discards each preallocated call once, aborts a call in
 * progress with RX_RESTARTING at the end of the drain and ends its threads; starting it again listens, charges and serves
 * a retrying client; stopping, updating or refreshing the transport bundle takes its endpoints down and
 * the rxperf component comes back by itself. A fresh framework per test method.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotPlugIT extends RxOsgiTestSupport {
    private static final int BACKLOG = 8;
    /** More handlers than the backlog, so one call in progress still leaves the backlog fully charged. */
    private static final int MAX_LIVE = 16;

    private int port;

    @Before
    public void startRxperf() throws Exception {
        port = freeUdpPort();
        startRxperf(port, BACKLOG, MAX_LIVE, true);
        assertRxperfThreads(1, MAX_LIVE);
    }

    /** The worker count, and at most {@code handlers} handler threads (they start on demand). */
    private void assertRxperfThreads(int workers, int handlers) {
        await(
                () -> "rxperf threads: " + threadNames(prefixed(RXPERF_BSN)),
                10_000,
                () -> threadCount(named(RXPERF_WORKER)) == workers
                        && threadCount(prefixed(RXPERF_HANDLER_PREFIX)) <= handlers);
    }

    /**
     * Starts an rxperf SEND call whose request never ends, and waits until the server made it live and
     * the worker recharged the backlog behind it.
     */
    private RxCall callInProgress(RxEndpoint client) throws InterruptedException {
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        long liveBefore = serverEndpoint.stats().get(Counter.CALLS_MADE_LIVE);
        RxCall call = client.newCall(server(port), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null);
        // A SEND of 1 MiB of which only the first 4000 bytes come: the client transmits full packets only
        // (a partial one waits for more bytes or the last), so this puts two DATA packets on the wire.
        ByteBuffer request = ByteBuffer.allocate(20 + 4000);
        request.putInt(Rxperf.VERSION)
                .putInt(Rxperf.OP_SEND)
                .putInt(65536)
                .putInt(65536)
                .putInt(1 << 20);
        Rxperf.fillPattern(request.array(), 20, 4000, 0);
        call.send(request.rewind(), false);
        await(
                "the call in progress went live",
                10_000,
                () -> serverEndpoint.stats().get(Counter.CALLS_MADE_LIVE) > liveBefore);
        sleep(300); // the worker, woken by the new-call notification, recharges the slot taken
        return call;
    }

    private static void assertAbortedBy(RxCall call, int... codes) throws InterruptedException {
        assertTrue("the call in progress ended", call.awaitCompletion(10, TimeUnit.SECONDS));
        assertEquals("aborted by the server", CallState.REMOTELY_ABORTED, call.state());
        for (int code : codes) {
            if (call.abortCode() == code) {
                try {
                    call.send(ByteBuffer.allocate(8), true);
                    fail("send on an aborted call must throw");
                } catch (RxCallAbortedException e) {
                    assertEquals(code, e.abortCode());
                }
                return;
            }
        }
        fail("abort code " + call.abortCode() + " (" + AbortCodes.name(call.abortCode()) + "), expected one of "
                + java.util.Arrays.toString(codes));
    }

    // ---- the service bundle ----

    @Test(timeout = 60_000)
    public void stoppingRxperfDiscardsEachChargedCallOnceAbortsTheCallInProgressAndEndsItsThreads() throws Exception {
        RxEndpoint serverEndpoint = endpoints().endpoint(port);
        try (RxEndpoint client = openClient()) {
            RxCall inProgress = callInProgress(client);
            long discarded = serverEndpoint.stats().get(Counter.CALLS_DISCARDED);
            long restartingSent = serverEndpoint.stats().abortsSent().getOrDefault(AbortCodes.RX_RESTARTING, 0L);

            bundle(RXPERF_BSN).stop();

            assertEquals(
                    "each preallocated call discarded exactly once",
                    BACKLOG,
                    serverEndpoint.stats().get(Counter.CALLS_DISCARDED) - discarded);
            // Never finished, it outlived the drain: RX_RESTARTING, which a client tells from a bad request.
            assertAbortedBy(inProgress, AbortCodes.RX_RESTARTING);
            assertEquals(
                    "RX_RESTARTING sent to the peer",
                    1,
                    serverEndpoint.stats().abortsSent().getOrDefault(AbortCodes.RX_RESTARTING, 0L) - restartingSent);
            assertRxperfThreads(0, 0);
            assertNull(references(NewCallNotifier.class.getName(), "(" + RxEndpoints.PORT + "=" + port + ")"));
            assertNull(references(DiscardNotifier.class.getName(), "(" + RxEndpoints.PORT + "=" + port + ")"));
            sleep(300);
            assertEquals(
                    "no discard after the stop",
                    BACKLOG,
                    serverEndpoint.stats().get(Counter.CALLS_DISCARDED) - discarded);
            inProgress.close();
        }
    }

    @Test(timeout = 60_000)
    public void startingRxperfAgainListensChargesAgainAndARetryingClientIsServed() throws Exception {
        Bundle rxperf = bundle(RXPERF_BSN);
        rxperf.stop();
        assertRxperfThreads(0, 0);
        RxEndpoint serverEndpoint = endpoints().endpoint(port);

        // A client that retries (a new call after each failed one) while the service is away.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch served = new CountDownLatch(1);
        int[] attempts = new int[1];
        Thread clientThread = new Thread(
                () -> {
                    try (RxEndpoint client = openClient()) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (System.nanoTime() - deadline < 0) {
                            attempts[0]++;
                            try {
                                rpc(client, port, 1000, 1000, CallOptions.DEFAULT.withHardTimeoutMillis(5_000));
                                served.countDown();
                                return;
                            } catch (RxCallAbortedException e) {
                                sleep(100);
                            }
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "retrying-client");
        clientThread.start();
        sleep(1000); // the client is refused meanwhile
        assertEquals("served while the service was stopped", 1, served.getCount());

        rxperf.start();
        assertTrue("the retrying client was served after the restart", served.await(20, TimeUnit.SECONDS));
        clientThread.join(10_000);
        assertNull(failure.get());
        assertRxperfThreads(1, MAX_LIVE);

        // It charged again: the next stop discards a full backlog.
        sleep(300);
        long discarded = serverEndpoint.stats().get(Counter.CALLS_DISCARDED);
        rxperf.stop();
        assertEquals(BACKLOG, serverEndpoint.stats().get(Counter.CALLS_DISCARDED) - discarded);
    }

    /**
     * A client keeps using its connection across a restart of the service (OpenAFS and our client reuse
     * connections): once rxperf listens again, its next calls on that connection are served.
     */
    @Test(timeout = 60_000)
    public void aClientThatKeepsItsConnectionIsServedAgainAfterARestart() throws Exception {
        clientKeepsItsConnectionAcrossARestart();
    }

    /**
     * The same while another service keeps the port's shared endpoint open (two service bundles on one
     * port, as OpenAFS's fileserver has several services on 7000): the endpoint, with the client's
     * connection from before the restart, outlives rxperf's listener.
     */
    @Test(timeout = 60_000)
    public void aClientThatKeepsItsConnectionIsServedAgainAfterARestartWhileAnotherServiceKeepsThePortOpen()
            throws Exception {
        int otherService = 4711;
        java.util.Dictionary<String, Object> props = new java.util.Hashtable<>();
        props.put(RxEndpoints.SERVICE_ID, otherService);
        props.put(RxEndpoints.PORT, port);
        org.osgi.framework.ServiceRegistration<NewCallNotifier> n =
                context.registerService(NewCallNotifier.class, (service, call, id) -> {}, props);
        org.osgi.framework.ServiceRegistration<DiscardNotifier> d =
                context.registerService(DiscardNotifier.class, (call, id) -> {}, props);
        // The transport listens for it by itself: its endpoint is the port's shared one.
        await("the other service listens", 10_000, () -> endpoints().services().stream()
                .anyMatch(st ->
                        st.serviceId() == otherService && st.state() == org.rxrpc.api.ServiceStatus.State.LISTENING));
        try {
            clientKeepsItsConnectionAcrossARestart();
        } finally {
            n.unregister();
            d.unregister();
        }
    }

    private void clientKeepsItsConnectionAcrossARestart() throws Exception {
        Bundle rxperf = bundle(RXPERF_BSN);
        try (RxEndpoint client = openClient()) {
            rpc(client, port, 100, 100, CallOptions.DEFAULT.withHardTimeoutMillis(10_000));
            rxperf.stop();
            rxperf.start();
            awaitServing(port, 15_000); // served from a fresh endpoint: the service is back
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            RxCallAbortedException last = null;
            while (System.nanoTime() - deadline < 0) {
                try {
                    rpc(
                            client,
                            port,
                            100,
                            100,
                            CallOptions.DEFAULT.withHardTimeoutMillis(4_000).withBusyRetryMillis(2_000));
                    return;
                } catch (RxCallAbortedException e) {
                    last = e;
                }
            }
            // (no cause: pax-exam reports the cause of an AssertionError instead of its message)
            throw new AssertionError("the client's calls on its connection were never served again; last: "
                    + last.getMessage()
                    + "; server endpoint "
                    + endpoints().endpoint(port).stats()
                    + "; client endpoint "
                    + client.stats());
        }
    }

    // ---- the transport bundle ----

    private interface TransportAction {
        void run(Bundle transport) throws Exception;
    }

    @Test(timeout = 90_000)
    public void stoppingTheTransportTakesEveryEndpointDownAndRxperfComesBackWhenItStarts() throws Exception {
        transportGoesAndReturns(transport -> {
            transport.stop();
            assertFalse("RxEndpoints unregistered", registered(RxEndpoints.class));
            assertFalse("RxTransport unregistered", registered(RxTransport.class));
            assertEquals(
                    "the rxperf bundle stays ACTIVE",
                    Bundle.ACTIVE,
                    bundle(RXPERF_BSN).getState());
            transport.start();
        });
    }

    @Test(timeout = 90_000)
    public void updatingTheTransportTakesEveryEndpointDownAndRxperfComesBack() throws Exception {
        transportGoesAndReturns(Bundle::update);
    }

    @Test(timeout = 90_000)
    public void refreshingTheTransportTakesEveryEndpointDownAndRxperfComesBack() throws Exception {
        transportGoesAndReturns(transport -> {
            CountDownLatch refreshed = new CountDownLatch(1);
            context.getBundle(0)
                    .adapt(FrameworkWiring.class)
                    .refreshBundles(Collections.singleton(transport), event -> {
                        if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) refreshed.countDown();
                    });
            assertTrue("refresh finished", refreshed.await(30, TimeUnit.SECONDS));
        });
    }

    /**
     * With rxperf serving on one shared endpoint, a second shared endpoint open and a call in progress:
     * {@code action} takes the transport away (and brings it back). Both shared endpoints close (their
     * I/O threads end, the port not reopened is free), the call in progress is aborted; rxperf's worker
     * waits; when the transport is back it listens for rxperf again by itself and the same worker charges
     * it, with exactly one I/O thread on the port.
     */
    private void transportGoesAndReturns(TransportAction action) throws Exception {
        Bundle transport = bundle(TRANSPORT_BSN);
        long transportServiceId = (Long)
                context.getServiceReference(RxEndpoints.class).getProperty(org.osgi.framework.Constants.SERVICE_ID);
        int otherPort = freeUdpPort();
        endpoints().endpoint(otherPort);
        assertEquals(1, threadCount(named("rx-io-" + port)));
        assertEquals(1, threadCount(named("rx-io-" + otherPort)));

        RxEndpoint client = openClientOutsideTheComponent();
        try {
            RxCall inProgress = callInProgress(client);
            List<Thread> before = threads(named("rx-io-" + port));
            before.addAll(threads(named("rx-io-" + otherPort)));
            assertEquals(2, before.size());
            List<Thread> worker = threads(named(RXPERF_WORKER));
            assertEquals(1, worker.size());

            action.run(transport);

            await(() -> "I/O threads of the old endpoints still alive: " + alive(before), 10_000, () -> alive(before)
                    .isEmpty());
            assertAbortedBy(inProgress, AbortCodes.RX_RESTARTING, AbortCodes.RX_CALL_DEAD);
            inProgress.close();

            // Back: the transport listens for rxperf again by itself, and rxperf's own worker charges it.
            assertEquals(Bundle.ACTIVE, transport.getState());
            await("a new RxEndpoints service", 10_000, () -> {
                org.osgi.framework.ServiceReference<RxEndpoints> ref = context.getServiceReference(RxEndpoints.class);
                return ref != null
                        && (Long) ref.getProperty(org.osgi.framework.Constants.SERVICE_ID) != transportServiceId;
            });
            awaitServing(port, 15_000);
            assertRxperfThreads(1, MAX_LIVE);
            assertTrue(
                    "rxperf's worker lived on through the transport's absence",
                    worker.get(0).isAlive());
            assertEquals("one I/O thread on the rxperf port", 1, threadCount(named("rx-io-" + port)));
            assertEquals("the other shared endpoint stays closed", 0, threadCount(named("rx-io-" + otherPort)));
            assertTrue("the other port is free", udpPortFree(otherPort));
        } finally {
            client.close();
        }
        try (RxEndpoint fresh = openClient()) {
            rpc(fresh, port, 1 << 20, 1 << 20, CallOptions.DEFAULT.withHardTimeoutMillis(20_000));
        }
    }

    /**
     * A client endpoint the transport component does not own (an RxTransportImpl of the bundle's own), so
     * that stopping the component does not close it too: only the server's abort may end its call (with an
     * endpoint of the component, its own close raced that abort and sometimes won).
     */
    private RxEndpoint openClientOutsideTheComponent() throws Exception {
        RxTransport own = (RxTransport) bundle(TRANSPORT_BSN)
                .loadClass("org.rxrpc.transport.RxTransportImpl")
                .getConstructor()
                .newInstance();
        return openClient(own);
    }

    private static List<String> alive(List<Thread> threads) {
        List<String> names = new java.util.ArrayList<>();
        for (Thread t : threads) {
            if (t.isAlive()) names.add(t.getName());
        }
        return names;
    }

    /**
     * "Stopping the transport takes every endpoint down": also an endpoint another bundle opened through
     * RxTransport.open (here the test's), whose I/O thread would otherwise keep running the code of a
     * stopped (or, after update/refresh, discarded) bundle revision.
     */
    @Test(timeout = 60_000)
    public void stoppingTheTransportAlsoClosesEndpointsOpenedThroughRxTransportOpen() throws Exception {
        RxEndpoint opened = openClient();
        int openedPort = opened.localAddress().getPort();
        try {
            assertEquals(1, threadCount(named("rx-io-" + openedPort)));
            bundle(TRANSPORT_BSN).stop();
            await(
                    () -> "the I/O thread of the endpoint opened through RxTransport.open still runs: "
                            + threadNames(named("rx-io-" + openedPort)),
                    5_000,
                    () -> threadCount(named("rx-io-" + openedPort)) == 0);
            assertTrue("its port is free", udpPortFree(openedPort));
            try {
                opened.newCall(server(port), Rxperf.SERVICE_ID, CallOptions.DEFAULT, null);
                fail("a closed endpoint refuses new calls");
            } catch (IllegalStateException expected) {
                // closed
            }
        } finally {
            opened.close();
            bundle(TRANSPORT_BSN).start();
        }
    }

    @Test(timeout = 60_000)
    public void theRxperfWorkerIsNamedAfterItsBundle() {
        List<String> workers = threadNames(named(RXPERF_BSN));
        assertEquals(List.of(RXPERF_BSN), workers);
        assertNotEquals(0, threadCount(prefixed(RXPERF_HANDLER_PREFIX)));
    }
}
