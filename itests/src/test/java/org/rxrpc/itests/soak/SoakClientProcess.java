package org.rxrpc.itests.soak;

import java.net.InetSocketAddress;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;

/**
 * The soak's client that gets killed mid-call ({@code SoakIT}): a JVM of its own making 1 MiB calls both
 * ways and small ones through the relay until it is killed (SIGKILL: no ABORT leaves it, so the server
 * must end its calls by itself). Arguments: the relay's port.
 */
public final class SoakClientProcess {
    private SoakClientProcess() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress relay = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        RxEndpoint endpoint =
                new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        CallOptions options = CallOptions.DEFAULT.withHardTimeoutMillis(60_000);
        Thread small = new Thread(() -> loop(endpoint, relay, options, 100));
        small.setDaemon(true);
        small.start();
        System.out.println("calling");
        System.out.flush();
        loop(endpoint, relay, options, 1 << 20);
    }

    private static void loop(RxEndpoint endpoint, InetSocketAddress relay, CallOptions options, int bytes) {
        RxperfClient client = new RxperfClient(endpoint, relay, options);
        while (true) {
            try {
                client.call(Rxperf.OP_RPC, bytes, bytes, true);
            } catch (Exception e) {
                // aborted by a restart or a timeout: call again until killed
            }
        }
    }
}
