package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
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
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceClosedException;
import org.rxrpc.api.ServiceStatus;

/**
 * The transport's whiteboard: a NewCallNotifier and a DiscardNotifier registered as services with
 * rxrpc.service.id and rxrpc.port make the transport listen and hand the service to the new-call
 * notifier; what prevents it is the service's reported state; when either goes away the transport closes
 * the service, every charged call reaching the discard notifier exactly once and a call in progress
 * ending with RX_RESTARTING after the drain.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhiteboardIT extends RxOsgiTestSupport {
    private static final int SERVICE_ID = 4711;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /** A test service's notifiers: new calls are queued for the test thread, discards are counted by ID. */
    private static final class Notifiers {
        final BlockingQueue<RxCall> live = new LinkedBlockingQueue<>();
        final Map<Long, AtomicInteger> discards = new ConcurrentHashMap<>();
        final NewCallNotifier newCall = (service, call, id) -> live.add(call);
        final DiscardNotifier discard = (call, id) ->
                discards.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }

    @After
    public void unregisterLeftovers() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // unregistered by the test
            }
        }
        registrations.clear();
    }

    private static Dictionary<String, Object> props(Object serviceId, Object port) {
        Dictionary<String, Object> d = new Hashtable<>();
        d.put(RxEndpoints.SERVICE_ID, serviceId);
        d.put(RxEndpoints.PORT, port);
        return d;
    }

    private ServiceRegistration<NewCallNotifier> register(NewCallNotifier n, int serviceId, int port) {
        ServiceRegistration<NewCallNotifier> r =
                context.registerService(NewCallNotifier.class, n, props(serviceId, port));
        registrations.add(r);
        return r;
    }

    private ServiceRegistration<DiscardNotifier> register(DiscardNotifier n, int serviceId, int port) {
        ServiceRegistration<DiscardNotifier> r =
                context.registerService(DiscardNotifier.class, n, props(serviceId, port));
        registrations.add(r);
        return r;
    }

    /** A notifier that also records the service the transport hands it. */
    private static final class Recording implements NewCallNotifier {
        final Notifiers n;
        final BlockingQueue<RxService> listening = new LinkedBlockingQueue<>();
        final BlockingQueue<RxService> closed = new LinkedBlockingQueue<>();

        Recording(Notifiers n) {
            this.n = n;
        }

        @Override
        public void newCall(RxService service, RxCall call, long userCallId) {
            n.newCall.newCall(service, call, userCallId);
        }

        @Override
        public void listening(RxService service) {
            listening.add(service);
        }

        @Override
        public void closed(RxService service) {
            closed.add(service);
        }
    }

    private ServiceStatus status(int serviceId, int port) {
        for (ServiceStatus s : endpoints().services()) {
            if (s.serviceId() == serviceId && s.port() == port) return s;
        }
        return null;
    }

    private ServiceStatus awaitState(int serviceId, int port, ServiceStatus.State state) {
        await(
                () -> "service " + serviceId + " on " + port + " " + state + ": " + status(serviceId, port),
                10_000,
                () -> {
                    ServiceStatus s = status(serviceId, port);
                    return s != null && s.state() == state;
                });
        return status(serviceId, port);
    }

    @Test(timeout = 60_000)
    public void theTransportListensOnceBothNotifiersAreThereAndHandsTheServiceOver() throws Exception {
        endpoints();
        int port = freeUdpPort();
        Notifiers n = new Notifiers();
        Recording rec = new Recording(n);

        register(rec, SERVICE_ID, port);
        ServiceStatus waiting = awaitState(SERVICE_ID, port, ServiceStatus.State.WAITING);
        assertTrue(waiting.detail(), waiting.detail().contains("DiscardNotifier"));
        // A discard notifier for another port, or another service, does not count.
        register(n.discard, SERVICE_ID, port + 1);
        register(n.discard, SERVICE_ID + 1, port);
        sleep(200);
        assertEquals(ServiceStatus.State.WAITING, status(SERVICE_ID, port).state());
        assertTrue(rec.listening.isEmpty());

        Dictionary<String, Object> withBacklog = props(SERVICE_ID, port);
        withBacklog.put(RxEndpoints.BACKLOG, 3);
        registrations.add(context.registerService(DiscardNotifier.class, n.discard, withBacklog));
        RxService s = rec.listening.poll(10, TimeUnit.SECONDS);
        assertNotNull("the transport listened and handed the service over", s);
        assertEquals(SERVICE_ID, s.serviceId());
        assertEquals(3, s.backlog());
        ServiceStatus listening = awaitState(SERVICE_ID, port, ServiceStatus.State.LISTENING);
        assertEquals(port, listening.boundTo().getPort());
    }

    @Test(timeout = 60_000)
    public void notifierPropertiesGivenAsTextAreTakenAndBadOnesAreIgnored() throws Exception {
        endpoints();
        int port = freeUdpPort();
        Notifiers n = new Notifiers();
        Recording rec = new Recording(n);
        registrations.add(context.registerService(
                NewCallNotifier.class, rec, props(String.valueOf(SERVICE_ID), String.valueOf(port))));
        registrations.add(context.registerService(
                DiscardNotifier.class, n.discard, props(String.valueOf(SERVICE_ID), String.valueOf(port))));
        assertNotNull("text properties (as .cfg files give them) work", rec.listening.poll(10, TimeUnit.SECONDS));

        int other = freeUdpPort();
        Recording bad = new Recording(n);
        registrations.add(context.registerService(NewCallNotifier.class, bad, props(SERVICE_ID, "no port")));
        registrations.add(context.registerService(DiscardNotifier.class, n.discard, props(SERVICE_ID, "no port")));
        registrations.add(context.registerService(NewCallNotifier.class, bad, props(SERVICE_ID, 70000)));
        sleep(300);
        assertTrue("a notifier with a bad port is not listened with", bad.listening.isEmpty());
        assertEquals(null, status(SERVICE_ID, other));
    }

    @Test(timeout = 60_000)
    public void aPortSomeoneElseHoldsIsReportedAsFailedAndNeverAsListening() throws Exception {
        endpoints();
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName(LOOPBACK), 0))) {
            int port = taken.getLocalPort();
            Notifiers n = new Notifiers();
            Recording rec = new Recording(n);
            register(rec, SERVICE_ID, port);
            register(n.discard, SERVICE_ID, port);
            ServiceStatus failed = awaitState(SERVICE_ID, port, ServiceStatus.State.FAILED);
            assertTrue(failed.detail(), failed.detail().contains("cannot bind"));
            assertTrue(rec.listening.isEmpty());
        }
    }

    /** The transport tries a FAILED service again: once the port is free it listens, with no restart. */
    @Test(timeout = 60_000)
    public void aServiceWhosePortWasTakenListensOnceThePortIsFree() throws Exception {
        endpoints();
        java.net.DatagramSocket taken = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getByName(LOOPBACK), 0));
        int port = taken.getLocalPort();
        Notifiers n = new Notifiers();
        Recording rec = new Recording(n);
        try {
            register(rec, SERVICE_ID, port);
            register(n.discard, SERVICE_ID, port);
            awaitState(SERVICE_ID, port, ServiceStatus.State.FAILED);
            sleep(3000); // a retry or more, still taken
            assertEquals(ServiceStatus.State.FAILED, status(SERVICE_ID, port).state());
            assertTrue(rec.listening.isEmpty());
        } finally {
            taken.close();
        }
        ServiceStatus listening = awaitState(SERVICE_ID, port, ServiceStatus.State.LISTENING);
        assertEquals(port, listening.boundTo().getPort());
        assertNotNull("handed over once listening", rec.listening.poll(10, TimeUnit.SECONDS));
    }

    @Test(timeout = 60_000)
    public void aServiceAlreadyListenedOnDirectlyIsReportedAsFailed() throws Exception {
        RxEndpoints endpoints = endpoints();
        int port = freeUdpPort();
        Notifiers direct = new Notifiers();
        RxService mine = endpoints.endpoint(port).listen(SERVICE_ID, 2, direct.newCall, direct.discard);
        try {
            Notifiers n = new Notifiers();
            register(n.newCall, SERVICE_ID, port);
            register(n.discard, SERVICE_ID, port);
            ServiceStatus failed = awaitState(SERVICE_ID, port, ServiceStatus.State.FAILED);
            assertTrue(failed.detail(), failed.detail().contains("already listened on"));
        } finally {
            mine.close();
        }
    }

    @Test(timeout = 60_000)
    public void unregisteringTheDiscardNotifierClosesTheServiceDiscardingEachChargedCallOnce() throws Exception {
        unregisteringANotifierClosesTheService(false);
    }

    @Test(timeout = 60_000)
    public void unregisteringTheNewCallNotifierClosesTheServiceDiscardingEachChargedCallOnce() throws Exception {
        unregisteringANotifierClosesTheService(true);
    }

    /**
     * Listens through the whiteboard, charges 4 calls, serves one real call through the new-call
     * notifier, starts a second call and leaves it in progress, then unregisters one notifier: the 3
     * calls still charged are discarded exactly once each, the call in progress is aborted with
     * RX_RESTARTING at the end of the drain, the notifier is told the service closed, the service refuses
     * charges, and the transport listens again once the notifiers are back.
     */
    private void unregisteringANotifierClosesTheService(boolean newCallGoes) throws Exception {
        RxEndpoints endpoints = endpoints();
        int port = freeUdpPort();
        Notifiers n = new Notifiers();
        Recording rec = new Recording(n);
        ServiceRegistration<NewCallNotifier> newCallReg = register(rec, SERVICE_ID, port);
        ServiceRegistration<DiscardNotifier> discardReg = register(n.discard, SERVICE_ID, port);
        RxService service = rec.listening.poll(10, TimeUnit.SECONDS);
        assertNotNull(service);
        RxEndpoint serverEndpoint = endpoints.endpoint(port);

        Map<Long, RxCall> attached = new HashMap<>();
        for (long id = 1; id <= 4; id++) {
            service.charge(id, (call, userCallId) -> attached.put(userCallId, call), null);
        }
        assertEquals(4, service.chargedCalls());
        assertEquals(4, attached.size());

        try (RxEndpoint client = openClient()) {
            // A real call, served by the test thread that the new-call notifier wakes.
            RxCall call =
                    client.newCall(server(port), SERVICE_ID, CallOptions.DEFAULT.withHardTimeoutMillis(10_000), null);
            call.send(ByteBuffer.wrap("ping over the whiteboard".getBytes(StandardCharsets.UTF_8)), true);
            RxCall served = n.live.poll(10, TimeUnit.SECONDS);
            assertNotNull("the new-call notifier was told of the call", served);
            assertTrue("the live call is one of the charged ones", attached.containsValue(served));
            assertEquals("ping over the whiteboard", readAll(served));
            served.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)), true);
            assertEquals("pong", readAll(call));
            assertTrue(call.awaitCompletion(10, TimeUnit.SECONDS));
            assertEquals(CallState.SUCCEEDED, call.state());
            call.close();
            served.close();
            assertEquals(3, service.chargedCalls());

            // A second call, left in progress: its request is never finished.
            RxCall inProgress =
                    client.newCall(server(port), SERVICE_ID, CallOptions.DEFAULT.withHardTimeoutMillis(20_000), null);
            // Only full packets go out before the last byte: 4000 bytes make two DATA packets.
            inProgress.send(ByteBuffer.wrap(new byte[4000]), false);
            RxCall second = n.live.poll(10, TimeUnit.SECONDS);
            assertNotNull("the second call went live", second);
            assertEquals(2, service.chargedCalls());
            long[] stillCharged = attached.entrySet().stream()
                    .filter(e -> e.getValue() != served && e.getValue() != second)
                    .mapToLong(Map.Entry::getKey)
                    .sorted()
                    .toArray();
            long discardedBefore = serverEndpoint.stats().get(Counter.CALLS_DISCARDED);

            if (newCallGoes) newCallReg.unregister();
            else discardReg.unregister();

            await(() -> "discards " + n.discards, 10_000, () -> n.discards.size() == stillCharged.length);
            sleep(200); // a second discard of the same call would show now
            Set<Long> ids = new TreeSet<>(n.discards.keySet());
            assertArrayEquals(
                    "the charged calls discarded",
                    stillCharged,
                    ids.stream().mapToLong(Long::longValue).toArray());
            n.discards.forEach((id, count) -> assertEquals("discards of call " + id, 1, count.get()));
            assertEquals(
                    "CALLS_DISCARDED counted on the endpoint",
                    stillCharged.length,
                    serverEndpoint.stats().get(Counter.CALLS_DISCARDED) - discardedBefore);
            assertEquals(0, service.chargedCalls());
            try {
                service.charge(99, (c, id) -> {}, null);
                fail("charging a closed service must throw ServiceClosedException");
            } catch (ServiceClosedException expected) {
                // as documented
            }
            assertEquals("the notifier was told the service closed", service, rec.closed.poll(10, TimeUnit.SECONDS));

            // The call in progress ends, at the end of the drain, with the defined abort code.
            assertTrue(inProgress.awaitCompletion(10, TimeUnit.SECONDS));
            assertEquals(CallState.REMOTELY_ABORTED, inProgress.state());
            assertEquals(AbortCodes.RX_RESTARTING, inProgress.abortCode());
            try {
                inProgress.receive(ByteBuffer.allocate(16), 1, TimeUnit.SECONDS);
                fail("receive on an aborted call must throw");
            } catch (RxCallAbortedException e) {
                assertEquals(AbortCodes.RX_RESTARTING, e.abortCode());
            }
            assertEquals(CallState.LOCALLY_ABORTED, second.state());
            inProgress.close();
            second.close();
        }

        // Both notifiers back: the transport listens again by itself.
        if (newCallGoes) register(rec, SERVICE_ID, port);
        else register(n.discard, SERVICE_ID, port);
        assertNotNull(rec.listening.poll(10, TimeUnit.SECONDS));
    }

    /** Reads a whole message of a call as UTF-8. */
    private static String readAll(RxCall call) throws InterruptedException {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            int n = call.receive(buf, 1, TimeUnit.SECONDS);
            if (n < 0) {
                buf.flip();
                return StandardCharsets.UTF_8.decode(buf).toString();
            }
        }
        throw new AssertionError("message not complete within 10 s");
    }
}
