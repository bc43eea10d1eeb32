package org.rxrpc.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.cm.AFSCallBack;
import org.rxrpc.cm.AFSFid;
import org.rxrpc.cm.CacheManager;

/**
 * The cache-manager callback bundle (org.rxrpc.cm, RXAFSCB, Rx service 1) in Felix: it is ACTIVE on a
 * free port given through Config Admin, a {@link CacheManager} the test registers as a service (the
 * whiteboard) receives a file server's CallBack sent over a real Rx call and supplies the local cell for
 * GetLocalCell, and once it is unregistered GetLocalCell answers the empty string.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CacheManagerBundleIT extends RxOsgiTestSupport {
    static final String CM_BSN = "org.rxrpc.cm";
    static final String CM_PID = "org.rxrpc.cm";
    static final int RXAFSCB = 1;
    static final int OP_CALLBACK = 204;
    static final int OP_PROBE = 206;
    static final int OP_GET_LOCAL_CELL = 217;

    /** The port given to the bundle, once (the framework lives for the whole class). */
    private static int cmPort;

    /** The shared framework plus the cm bundle, not started: it gets a free port (not 7001) first. */
    @Override
    @Configuration
    public Option[] config() {
        String dir = System.getProperty("rxrpc.itests.bundles", "target/osgi-bundles");
        java.io.File jar = new java.io.File(dir, "cm-service.jar");
        if (!jar.isFile()) throw new IllegalStateException(jar + " is missing: run the build through `mvn verify`");
        return OptionUtils.combine(
                super.config(), CoreOptions.bundle(jar.toURI().toString()).noStart());
    }

    /** Configures the port before the shared check starts every bundle, the cm bundle included. */
    @Override
    @Before
    public void everyBundleResolves() {
        synchronized (CacheManagerBundleIT.class) {
            if (cmPort == 0) {
                int port = freeUdpPort();
                configure(CM_PID, java.util.Map.of("rxrpc.port", port));
                cmPort = port;
            }
        }
        super.everyBundleResolves();
    }

    @Test
    public void callBacksReachTheWhiteboardCacheManagerAndGetLocalCellFollowsIt() throws Exception {
        assertEquals("cm bundle state", Bundle.ACTIVE, bundle(CM_BSN).getState());
        try (RxEndpoint client = openClient()) {
            // Serving: Probe (opcode only) answers an empty reply.
            await("RXAFSCB Probe answered on udp " + cmPort, 15_000, () -> probe(client));

            // Without a CacheManager: valid empty data.
            assertEquals("", localCell(client));

            BlockingQueue<Object[]> breaks = new LinkedBlockingQueue<>();
            CacheManager cm = new CacheManager() {
                @Override
                public String localCell() {
                    return "example.org";
                }

                @Override
                public void callBack(InetSocketAddress server, List<AFSFid> fids, List<AFSCallBack> callBacks) {
                    breaks.add(new Object[] {server, fids, callBacks});
                }
            };
            ServiceRegistration<CacheManager> reg = context.registerService(CacheManager.class, cm, null);
            try {
                await("GetLocalCell answers the registered CacheManager's cell", 10_000, () -> "example.org"
                        .equals(localCellUnchecked(client)));

                // CallBack (204): two fids, one callback promise (the array may be shorter).
                ByteBuffer req = ByteBuffer.allocate(4 + 4 + 2 * 12 + 4 + 12);
                req.putInt(OP_CALLBACK);
                req.putInt(2).putInt(536870915).putInt(42).putInt(4711);
                req.putInt(536870916).putInt(1).putInt(1);
                req.putInt(1).putInt(1).putInt(1_700_000_000).putInt(2);
                assertEquals("CallBack's reply is empty", 0, call(client, req.flip()).length);

                Object[] got = breaks.poll(10, TimeUnit.SECONDS);
                assertNotNull("the CacheManager received no CallBack", got);
                InetSocketAddress from = (InetSocketAddress) got[0];
                assertEquals(client.localAddress().getPort(), from.getPort());
                assertEquals(List.of(new AFSFid(536870915, 42, 4711), new AFSFid(536870916, 1, 1)), (List<?>) got[1]);
                assertEquals(List.of(new AFSCallBack(1, 1_700_000_000, 2)), (List<?>) got[2]);
                assertTrue("one CallBack, one break", breaks.isEmpty());
            } finally {
                reg.unregister();
            }

            // Unregistered: the service answers the empty cell again (valid empty data, not an abort).
            await("GetLocalCell answers \"\" once the CacheManager is gone", 10_000, () -> ""
                    .equals(localCellUnchecked(client)));
            ByteBuffer raw = ByteBuffer.wrap(call(
                    client, ByteBuffer.allocate(4).putInt(OP_GET_LOCAL_CELL).flip()));
            assertEquals("empty XDR string: its length only", 4, raw.remaining());
            assertEquals(0, raw.getInt());
        }
        assertEquals("cm bundle state", Bundle.ACTIVE, bundle(CM_BSN).getState());
    }

    // ---- RXAFSCB by hand ----

    private boolean probe(RxEndpoint client) {
        try {
            return call(client, ByteBuffer.allocate(4).putInt(OP_PROBE).flip()).length == 0;
        } catch (RxCallAbortedException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String localCellUnchecked(RxEndpoint client) {
        try {
            return localCell(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** GetLocalCell (217): the reply is an XDR string (length, bytes, padding to 4). */
    private String localCell(RxEndpoint client) throws InterruptedException {
        ByteBuffer reply = ByteBuffer.wrap(
                call(client, ByteBuffer.allocate(4).putInt(OP_GET_LOCAL_CELL).flip()));
        int length = reply.getInt();
        assertTrue("string length " + length, length >= 0 && length <= reply.remaining());
        byte[] name = new byte[length];
        reply.get(name);
        assertEquals("XDR padding", (4 - length % 4) % 4, reply.remaining());
        return new String(name, StandardCharsets.UTF_8);
    }

    /** One call to the cm service: the request, then the whole reply (bounded). */
    private byte[] call(RxEndpoint client, ByteBuffer request) throws InterruptedException {
        try (RxCall call =
                client.newCall(server(cmPort), RXAFSCB, CallOptions.DEFAULT.withHardTimeoutMillis(10_000), null)) {
            call.send(request, true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (true) {
                buf.clear();
                long left = deadline - System.nanoTime();
                if (left <= 0) fail("reply not complete within 15 s");
                int n = call.receive(buf, left, TimeUnit.NANOSECONDS);
                if (n < 0) break;
                out.write(buf.array(), 0, n);
            }
            return out.toByteArray();
        }
    }
}
