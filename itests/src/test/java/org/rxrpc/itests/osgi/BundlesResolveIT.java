package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxTransport;

/** Item 1: every bundle resolves and is ACTIVE, the transport's services are there, slf4j really prints. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesResolveIT extends RxOsgiTestSupport {

    @Test(timeout = 60_000)
    public void everyBundleResolvesAndIsActiveOnceRxperfHasItsPort() throws Exception {
        startRxperf(freeUdpPort(), 4, 8, true);
        List<String> problems = bundleProblems(true);
        assertTrue("bundles not resolved or not active:\n  " + String.join("\n  ", problems), problems.isEmpty());
        for (String bsn : new String[] {
            API_BSN,
            TRANSPORT_BSN,
            RXPERF_BSN,
            "org.apache.felix.scr",
            "org.apache.felix.configadmin",
            "slf4j.api",
            "slf4j.simple"
        }) {
            assertEquals(bsn + " state", "ACTIVE", stateName(bundle(bsn).getState()));
        }
    }

    /**
     * The check itself: a bundle that cannot resolve is reported with the framework's resolution error
     * (what is missing), so a broken bundle fails every test class with a useful message.
     */
    @Test(timeout = 60_000)
    public void anUnresolvableBundleIsReportedWithItsResolutionError() throws Exception {
        java.nio.file.Path jar = java.nio.file.Files.createTempFile("unresolvable", ".jar");
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "org.rxrpc.itests.unresolvable");
        m.getMainAttributes().putValue("Import-Package", "org.rxrpc.nosuchpackage;version=\"[9,10)\"");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar), m)) {
            // a manifest is all it has
        }
        Bundle broken = context.installBundle(jar.toUri().toString());
        try {
            List<String> problems = bundleProblems(false);
            assertEquals(problems.toString(), 1, problems.size());
            String p = problems.get(0);
            assertTrue(p, p.startsWith("org.rxrpc.itests.unresolvable"));
            assertTrue(p, p.contains("missing requirement"));
            assertTrue(p, p.contains("org.rxrpc.nosuchpackage"));
        } finally {
            broken.uninstall();
            java.nio.file.Files.delete(jar);
        }
    }

    @Test(timeout = 60_000)
    public void theTransportRegistersRxTransportAndRxEndpoints() {
        Bundle transport = bundle(TRANSPORT_BSN);
        ServiceReference<RxTransport> t = context.getServiceReference(RxTransport.class);
        ServiceReference<RxEndpoints> e = context.getServiceReference(RxEndpoints.class);
        assertNotNull("RxTransport registered", t);
        assertNotNull("RxEndpoints registered", e);
        assertEquals("RxTransport registered by the transport bundle", transport, t.getBundle());
        assertEquals("RxEndpoints registered by the transport bundle", transport, e.getBundle());
        assertEquals("127.0.0.1", context.getService(e).bindAddress());
        context.ungetService(e);
    }

    /**
     * The bundles' slf4j is wired to the slf4j-api bundle whose binding is slf4j-simple (not the NOP
     * fallback), and a log line of a bundle really reaches the console: starting and stopping the rxperf
     * bundle logs at INFO, captured here from System.err (where slf4j-simple writes).
     */
    @Test(timeout = 60_000)
    public void theBundlesLogThroughSlf4jSimpleAndItReallyPrints() throws Exception {
        for (String bsn : new String[] {TRANSPORT_BSN, RXPERF_BSN}) {
            Bundle b = bundle(bsn);
            BundleWiring wiring = b.adapt(BundleWiring.class);
            assertNotNull(bsn + " is resolved", wiring);
            Bundle provider = null;
            for (BundleWire w : wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
                if ("org.slf4j".equals(w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                    provider = w.getProvider().getBundle();
                }
            }
            assertNotNull(bsn + " imports org.slf4j", provider);
            assertEquals(bsn + " gets org.slf4j from", "slf4j.api", provider.getSymbolicName());
            Class<?> factory = b.loadClass("org.slf4j.LoggerFactory");
            Object loggerFactory = factory.getMethod("getILoggerFactory").invoke(null);
            assertNotEquals(
                    bsn + "'s slf4j must not fall back to NOP",
                    "org.slf4j.helpers.NOPLoggerFactory",
                    loggerFactory.getClass().getName());
            Object logger = factory.getMethod("getLogger", String.class).invoke(null, "org.rxrpc.itests");
            assertFalse(
                    bsn + "'s logger is NOP: " + logger.getClass().getName(),
                    logger.getClass().getName().contains("NOP"));
            assertEquals("org.slf4j.impl.SimpleLogger", logger.getClass().getName());
        }

        int port = freeUdpPort();
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            Bundle rxperf = bundle(RXPERF_BSN);
            if (rxperf.getState() == Bundle.ACTIVE) rxperf.stop();
            startRxperf(port, 4, 8, true);
            rxperf.stop();
        } finally {
            System.setErr(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        String expected = "Rx service 147 (rxperf) listening on udp 127.0.0.1:" + port;
        if (!out.contains(expected))
            fail("the rxperf bundle's INFO line \"" + expected + "\" was not printed; got:\n" + out);
    }

    /** Writes to two streams. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public synchronized void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
