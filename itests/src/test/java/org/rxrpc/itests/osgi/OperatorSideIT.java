package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.ServiceSnapshot;

/**
 * What an operator sees inside Felix: the MBeans in the platform MBean server (an endpoint's and a
 * service's, with their counters and backlog), the rx commands (the Gogo command services, called as the
 * shell calls them), and an endpoint's snapshot.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OperatorSideIT extends RxOsgiTestSupport {
    private static int port;
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();

    @Before
    public void rxperfServes() throws Exception {
        if (bundle(RXPERF_BSN).getState() != Bundle.ACTIVE) {
            port = freeUdpPort();
            startRxperf(port, 8, 8, true);
        }
    }

    @Test(timeout = 60_000)
    public void theEndpointAndTheServiceHaveMBeansWithTheirCountersAndBacklog() throws Exception {
        try (RxEndpoint client = openClient()) {
            for (int i = 0; i < 3; i++) rpc(client, port, 100, 100, CallOptions.DEFAULT.withHardTimeoutMillis(20_000));
        }
        ObjectName endpoint = new ObjectName("org.rxrpc:type=Endpoint,port=" + port);
        ObjectName service = new ObjectName("org.rxrpc:type=Service,port=" + port + ",id=147");
        await("MBeans registered", 5_000, () -> mbeans.isRegistered(endpoint) && mbeans.isRegistered(service));
        assertEquals("127.0.0.1:" + port, mbeans.getAttribute(endpoint, "LocalAddress"));
        assertTrue((Long) mbeans.getAttribute(endpoint, "CallsMadeLive") >= 3);
        TabularData counters = (TabularData) mbeans.getAttribute(endpoint, "Counters");
        CompositeData live = counters.get(new Object[] {"CALLS_MADE_LIVE"});
        assertTrue("counters: " + counters, (Long) live.get("value") >= 3);
        TabularData settings = (TabularData) mbeans.getAttribute(endpoint, "Settings");
        assertEquals("127.0.0.1", settings.get(new Object[] {"bindAddress"}).get("value"));

        assertEquals("LISTENING", mbeans.getAttribute(service, "State"));
        assertEquals("rxperf", mbeans.getAttribute(service, "Name"));
        assertEquals(8, mbeans.getAttribute(service, "Backlog"));
        await("backlog recharged", 5_000, () -> chargedCalls(service) == 8);
        assertEquals(0, mbeans.getAttribute(service, "LiveCalls"));
        assertEquals("127.0.0.1:" + port, mbeans.getAttribute(service, "BoundTo"));

        // The service goes: its MBean too; the endpoint's with the endpoint.
        bundle(RXPERF_BSN).stop();
        try {
            await("MBeans unregistered", 10_000, () -> !mbeans.isRegistered(service) && !mbeans.isRegistered(endpoint));
        } finally {
            bundle(RXPERF_BSN).start();
            awaitServing(port, 15_000);
        }
    }

    private int chargedCalls(ObjectName service) {
        try {
            return (Integer) mbeans.getAttribute(service, "ChargedCalls");
        } catch (Exception e) {
            throw new AssertionError(e.toString());
        }
    }

    @Test(timeout = 60_000)
    public void theRxCommandsReportTheServiceItsEndpointAndItsPeers() throws Exception {
        try (RxEndpoint client = openClient()) {
            rpc(client, port, 10, 10, CallOptions.DEFAULT.withHardTimeoutMillis(20_000));
            // The server's call lives until the client's final ACK, which may follow the reply by a moment.
            String expected = "(?s).*\\n147 +rxperf +LISTENING +127\\.0\\.0\\.1:" + port + " +\\d+/8 +0 +0 +0.*";
            String services = command("services");
            for (long end = System.nanoTime() + 5_000_000_000L;
                    !services.matches(expected) && System.nanoTime() < end;
                    services = command("services")) {
                sleep(50);
            }
            assertTrue(services, services.startsWith("SERVICE  NAME"));
            assertTrue(services, services.matches(expected));
            String endpoints = command("endpoints");
            assertTrue(endpoints, endpoints.contains("127.0.0.1:" + port + "  "));
            String peers = command("peers", Integer.toString(port));
            assertTrue(
                    peers, peers.contains("127.0.0.1:" + client.localAddress().getPort()));
            String stats = command("stats", Integer.toString(port));
            assertTrue(stats, stats.matches("(?s).*incoming calls made live +\\d+.*"));
            String calls = command("calls", Integer.toString(port));
            assertTrue(calls, calls.endsWith(" live calls\n") || calls.endsWith(" live call\n"));
            String ping = command("ping", "-c", "1", "127.0.0.1:" + port);
            assertTrue(ping, ping.contains("--- VERSION replies: 1 of 1"));
            assertTrue(ping, ping.contains("--- PING responses: 1 of 1"));
        }
    }

    @Test(timeout = 60_000)
    public void theSnapshotShowsTheServiceBacklogAndTheLiveCalls() throws Exception {
        RxEndpoint endpoint = endpoints().endpoints().stream()
                .filter(e -> e.localAddress().getPort() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no endpoint on " + port + " in " + endpoints().endpoints()));
        EndpointSnapshot s = endpoint.snapshot(10);
        assertEquals(endpoint.localAddress(), s.localAddress());
        ServiceSnapshot rxperf = s.services().stream()
                .filter(x -> x.serviceId() == 147)
                .findFirst()
                .orElseThrow(() -> new AssertionError(s.toString()));
        assertEquals(8, rxperf.backlog());
        assertTrue(s.toString(), rxperf.chargedCalls() <= 8 && !rxperf.userSocket() && !rxperf.draining());
        assertEquals(s.calls().size(), Math.min(10, s.liveCalls()));
    }

    /** Calls an rx command as the Gogo shell does: the service with that scope and function, by name. */
    private String command(String function, String... args) throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(
                null, "(&(osgi.command.scope=rx)(osgi.command.function=" + function + "))");
        assertTrue("no rx:" + function + " command service", refs != null && refs.length == 1);
        Object commands = context.getService(refs[0]);
        try {
            return (String)
                    commands.getClass().getMethod(function, String[].class).invoke(commands, (Object) args);
        } finally {
            context.ungetService(refs[0]);
        }
    }
}
