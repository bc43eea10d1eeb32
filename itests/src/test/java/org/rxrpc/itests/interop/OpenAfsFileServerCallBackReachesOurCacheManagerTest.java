package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.cm.AFSCallBack;
import org.rxrpc.cm.AFSFid;
import org.rxrpc.cm.CacheManager;
import org.rxrpc.cm.CacheManagerServer;
import org.rxrpc.itests.interop.OpenAfsPeers.Output;
import org.rxrpc.transport.RxTransportImpl;

/**
 * A file server built on OpenAFS's rx library ({@code cb_fileserver}, see {@code itests/src/test/c}) breaks
 * callbacks at our cache-manager service: RXAFSCB Probe (206), then CallBack (204) with AFSFids and
 * AFSCallBacks, reaching {@code org.rxrpc.cm.CacheManager#callBack}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAfsFileServerCallBackReachesOurCacheManagerTest {
    /** One recorded {@code callBack(server, fids, callBacks)}: FIDs as "volume.vnode.unique", callbacks as "version/expiration/type". */
    record Recorded(InetSocketAddress server, List<String> fids, List<String> callBacks) {}

    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private RxEndpoint endpoint;
    private org.rxrpc.service.ServiceHost server;
    private int port;

    @BeforeEach
    void start() {
        OpenAfsPeers.require();
        endpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        port = endpoint.localAddress().getPort();
        server = CacheManagerServer.serve(endpoint, 16, 4, new CacheManager() {
            @Override
            public void callBack(InetSocketAddress from, List<AFSFid> fids, List<AFSCallBack> callBacks) {
                recorded.add(new Recorded(
                        from,
                        fids.stream()
                                .map(f -> f.volume() + "." + f.vnode() + "." + f.unique())
                                .toList(),
                        callBacks.stream()
                                .map(c -> c.version() + "/" + c.expiration() + "/" + c.type())
                                .toList()));
            }
        });
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) server.close();
        } finally {
            if (endpoint != null) endpoint.close();
        }
    }

    @Test
    void callBackWithThreeFidsArrivesWithExactlyThoseFidsAsDropped() {
        Output out = runFileServer("-f", "536870912.1.1", "-f", "536870912.2.7", "-f", "4294967295.123456.2147483647");

        assertEquals(0, out.exitCode(), () -> out + "\nrecorded: " + recorded);
        assertResult(out, 2); // the probe and one CallBack
        assertEquals(1, recorded.size(), () -> "callBack invocations: " + recorded + "\n" + out);
        Recorded r = recorded.get(0);
        // Unsigned 4294967295 arrives as the int -1 (XDR unsigned int in a Java int).
        assertEquals(List.of("536870912.1.1", "536870912.2.7", "-1.123456.2147483647"), r.fids(), r::toString);
        assertEquals(
                List.of("1/0/" + AFSCallBack.DROPPED, "1/0/" + AFSCallBack.DROPPED, "1/0/" + AFSCallBack.DROPPED),
                r.callBacks(),
                r::toString);
        assertEquals("127.0.0.1", r.server().getAddress().getHostAddress(), r::toString);
    }

    @Test
    void repeatedCallBacksOnOneConnectionAllArrive() {
        Output out = runFileServer("-f", "7.8.9", "-f", "10.11.12", "-n", "5");

        assertEquals(0, out.exitCode(), () -> out + "\nrecorded: " + recorded);
        assertResult(out, 6);
        assertEquals(5, recorded.size(), () -> "callBack invocations: " + recorded + "\n" + out);
        for (Recorded r : recorded) {
            assertEquals(List.of("7.8.9", "10.11.12"), r.fids(), r::toString);
            assertEquals(
                    List.of("1/0/" + AFSCallBack.DROPPED, "1/0/" + AFSCallBack.DROPPED), r.callBacks(), r::toString);
            assertEquals("127.0.0.1", r.server().getAddress().getHostAddress(), r::toString);
        }
    }

    private Output runFileServer(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(OpenAfsPeers.peer("cb_fileserver").toString());
        cmd.addAll(List.of("-h", OpenAfsPeers.LOOPBACK, "-p", Integer.toString(port), "-t", "10"));
        cmd.addAll(List.of(args));
        Output out = OpenAfsPeers.run(Duration.ofSeconds(30), cmd.toArray(new String[0]));
        assertFalse(out.timedOut(), out::toString);
        return out;
    }

    private static void assertResult(Output out, int ok) {
        assertEquals(
                List.of("RESULT ok=" + ok + " failed=0"),
                out.stdout().lines().filter(l -> l.startsWith("RESULT ")).toList(),
                out::toString);
    }
}
