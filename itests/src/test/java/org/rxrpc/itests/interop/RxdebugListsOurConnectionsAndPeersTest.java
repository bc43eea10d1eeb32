package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.itests.interop.OpenAfsPeers.Output;
import org.rxrpc.transport.RxTransportImpl;

/**
 * OpenAFS's {@code rxdebug} lists our connections and peers (DEBUG GETCONN, GETALLCONN, GETPEER in
 * OpenAFS's layouts): one call finished and one in progress between two of our endpoints, then the real
 * tool against the server's port and the client's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RxdebugListsOurConnectionsAndPeersTest {
    private static final int SERVICE = 2000;
    private static final Duration TOOL_LIMIT = Duration.ofSeconds(30);

    private RxEndpoint server;
    private RxEndpoint client;
    private RxCall inProgress;
    private RxCall served;

    @BeforeEach
    void twoCalls() throws Exception {
        OpenAfsPeers.require();
        server = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        client = new RxTransportImpl().open(EndpointOptions.defaults().withBind(OpenAfsPeers.LOOPBACK, 0));
        RxUserService service = server.listenUser(SERVICE, 4, true);
        // A whole call, finished.
        RxCall call = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
        call.send(new byte[] {1, 2, 3}, 0, 3, true);
        RxCall incoming = service.accept(1, null, 10, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, incoming.receiveMessage(100, 10, TimeUnit.SECONDS));
        incoming.send(new byte[] {4}, 0, 1, true);
        assertArrayEquals(new byte[] {4}, call.receiveMessage(100, 10, TimeUnit.SECONDS));
        incoming.close();
        call.close();
        // A call in progress: part of its request sent (a full packet goes out; the rest waits), the server
        // receiving.
        inProgress = client.newCall(server.localAddress(), SERVICE, CallOptions.DEFAULT, null);
        inProgress.send(new byte[3000], 0, 3000, false);
        served = service.accept(2, null, 10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        if (inProgress != null) inProgress.abort(1);
        if (served != null) served.close();
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private Output rxdebug(RxEndpoint target, String... flags) {
        String[] command = new String[3 + flags.length];
        command[0] = OpenAfsPeers.tool("rxdebug");
        command[1] = "127.0.0.1";
        command[2] = Integer.toString(target.localAddress().getPort());
        System.arraycopy(flags, 0, command, 3, flags.length);
        Output out = OpenAfsPeers.run(TOOL_LIMIT, command);
        assertEquals(0, out.exitCode(), out.toString());
        return out;
    }

    @Test
    void allConnectionsListsTheServerConnectionWithItsCallInProgress() {
        Output out = rxdebug(server, "-allconnections");
        String text = out.stdout();
        int clientPort = client.localAddress().getPort();
        List<String> conns =
                matches(text, "Connection from host 127\\.0\\.0\\.1, port (\\d+), Cuid ([0-9a-f]+)/([0-9a-f]+)");
        assertEquals(1, conns.size(), out.toString());
        assertTrue(text.contains("Connection from host 127.0.0.1, port " + clientPort + ", Cuid "), out.toString());
        assertTrue(text.contains("security index 0, server conn"), out.toString());
        // Channel 0 carries the second call (number 2), in progress; the others were never used.
        assertTrue(
                text.contains("call 0: # 2, state active, mode: receiving, has_input_packets")
                        || text.contains("call 0: # 2, state active, mode: receiving"),
                out.toString());
        assertTrue(text.contains("call 1: # 0, state not initialized"), out.toString());
        assertTrue(text.trim().endsWith("Done."), out.toString());
    }

    @Test
    void interestingConnectionsAreThoseWithACallInProgress() throws Exception {
        assertEquals(
                1, matches(rxdebug(server).stdout(), "Connection from host").size());
        inProgress.abort(1);
        inProgress = null;
        // The server learns of the abort; then no connection of it has a call in progress.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Output out;
        do {
            Thread.sleep(50);
            out = rxdebug(server);
        } while (!matches(out.stdout(), "Connection from host").isEmpty() && System.nanoTime() < deadline);
        assertTrue(matches(out.stdout(), "Connection from host").isEmpty(), out.toString());
        Output all = rxdebug(server, "-allconnections");
        assertTrue(all.stdout().contains("call 0: # 2, state dally, mode: error"), all.toString());
    }

    @Test
    void peersAreListedWithTheirRttAndLongDetails() {
        Output out = rxdebug(server, "-noconns", "-peers", "-long");
        String text = out.stdout();
        int clientPort = client.localAddress().getPort();
        assertTrue(text.contains("Peer at host 127.0.0.1, port " + clientPort), out.toString());
        assertTrue(text.contains("ifMTU 1444\tnatMTU 1444\tmaxMTU "), out.toString());
        assertTrue(
                Pattern.compile("rtt \\d+ msec, rtt_dev \\d+ msec")
                        .matcher(text)
                        .find(),
                out.toString());
        assertTrue(text.contains("current/if/max jumbogram size: "), out.toString());
        assertTrue(text.trim().endsWith("Done."), out.toString());
    }

    @Test
    void theClientEndpointListsItsClientConnection() {
        Output out = rxdebug(client, "-allconnections", "-peers");
        String text = out.stdout();
        int serverPort = server.localAddress().getPort();
        assertTrue(text.contains("Connection from host 127.0.0.1, port " + serverPort + ", Cuid "), out.toString());
        assertTrue(text.contains("security index 0, client conn"), out.toString());
        assertTrue(
                text.contains("call 0: # 2, state active, mode: sending")
                        || text.contains("call 0: # 2, state active, mode: sending, has_output_packets"),
                out.toString());
        assertTrue(text.contains("Peer at host 127.0.0.1, port " + serverPort), out.toString());
    }

    private static List<String> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) out.add(m.group());
        return out;
    }
}
