package org.rxrpc.runtime.felix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The runtime's MBeans as an operator's JMX client sees them: attached to the runtime's JVM by its process
 * id (what jconsole does for a local JVM), through the local management agent.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MBeansInTheRuntimeTest {

    @Test
    void aJmxClientSeesAnMBeanPerEndpointAndPerServiceWithLiveCounters() throws Exception {
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
        try (RuntimeProcess runtime = RuntimeProcess.start(
                "run",
                "--rxperf-port",
                Integer.toString(port),
                "--cm-port",
                Integer.toString(cmPort),
                "--vl-port",
                Integer.toString(vlPort))) {
            runtime.await(l -> l.startsWith("rxrpc runtime: started in "));
            VirtualMachine vm = VirtualMachine.attach(Long.toString(runtime.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName endpoint = new ObjectName("org.rxrpc:type=Endpoint,port=" + port);
                ObjectName rxperf = new ObjectName("org.rxrpc:type=Service,port=" + port + ",id=147");
                ObjectName cm = new ObjectName("org.rxrpc:type=Service,port=" + cmPort + ",id=1");
                awaitRegistered(server, endpoint, rxperf, cm);

                assertEquals("127.0.0.1:" + port, server.getAttribute(endpoint, "LocalAddress"));
                assertEquals("LISTENING", server.getAttribute(rxperf, "State"));
                assertEquals(32, server.getAttribute(rxperf, "Backlog"));
                assertEquals("cache manager (RXAFSCB)", server.getAttribute(cm, "Name"));
                assertEquals("255", settings(server, endpoint).get("sendWindow"));

                long before = (Long) server.getAttribute(endpoint, "CallsMadeLive");
                rxperfCalls(port, 3);
                long after = (Long) server.getAttribute(endpoint, "CallsMadeLive");
                assertEquals(before + 3, after, "each call made live, counted on the I/O thread's snapshot");
                assertTrue((Long) server.getAttribute(endpoint, "DatagramsReceived") > 0);
            }
            assertEquals(0, runtime.sigtermAndWait(), runtime.output());
        }
    }

    private static void awaitRegistered(MBeanServerConnection server, ObjectName... names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ObjectName name : names) {
            while (!server.isRegistered(name)) {
                assertTrue(
                        System.nanoTime() < deadline,
                        name + " not registered; org.rxrpc MBeans: "
                                + server.queryNames(new ObjectName("org.rxrpc:*"), null));
                Thread.sleep(50);
            }
        }
    }

    /** The Settings attribute (an MXBean's map: a table of key and value). */
    private static Map<String, String> settings(MBeanServerConnection server, ObjectName endpoint) throws Exception {
        TabularData table = (TabularData) server.getAttribute(endpoint, "Settings");
        Map<String, String> out = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData d = (CompositeData) row;
            out.put((String) d.get("key"), (String) d.get("value"));
        }
        return out;
    }

    private static void rxperfCalls(int port, int calls) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (RxEndpoint client =
                    new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
                RxperfClient rxperf = new RxperfClient(
                        client,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        CallOptions.DEFAULT.withHardTimeoutMillis(20_000));
                for (int i = 0; i < calls; i++) rxperf.call(Rxperf.OP_RPC, 100, 100, true);
            }
        });
    }
}
