package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.testutil.UdpPeer.await;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With all rates 0 the relay is a transparent, per-client NAT between clients and the target. */
@Timeout(30)
class LossyUdpRelayForwardsLikeANatWhenCleanTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void deliversEveryDatagramExactlyOnceAndInOrder() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 1, 0, 0, 0);
                UdpPeer client = UdpPeer.sink()) {
            int n = 1000;
            for (int i = 0; i < n; i++) {
                client.sendNumber(relay.address(), i);
                if (i % 50 == 49) { // pace, so no socket buffer on the way can overflow
                    int sent = i + 1;
                    assertTrue(await(() -> server.receivedCount() >= sent, WAIT));
                }
            }

            assertEquals(IntStream.range(0, n).boxed().toList(), server.receivedNumbers());
            assertEquals(new LossyUdpRelay.Stats(n, n, 0, 0, 0), relay.toTarget());
            assertEquals(0, relay.sendFailures());
        }
    }

    @Test
    void givesEachClientItsOwnUpstreamPortAndRoutesRepliesBack() throws Exception {
        try (UdpPeer server = UdpPeer.echoServer();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 1, 0, 0, 0);
                UdpPeer alice = UdpPeer.sink();
                UdpPeer bob = UdpPeer.sink()) {
            alice.sendNumber(relay.address(), 1);
            bob.sendNumber(relay.address(), 2);
            alice.sendNumber(relay.address(), 3);

            assertTrue(await(() -> alice.receivedCount() == 2 && bob.receivedCount() == 1, WAIT));
            assertEquals(List.of(1, 3), alice.receivedNumbers());
            assertEquals(List.of(2), bob.receivedNumbers());
            // Replies come from the relay's client-facing address, as if it were the server.
            assertEquals(relay.address(), alice.received().get(0).source());

            Set<InetSocketAddress> seenByServer =
                    server.received().stream().map(RawRxSocket.Received::source).collect(Collectors.toSet());
            assertEquals(2, seenByServer.size(), "one upstream port per client");
            assertFalse(seenByServer.contains(alice.address()));
            assertFalse(seenByServer.contains(relay.address()));
            assertEquals(2, relay.clientCount());
            assertEquals(new LossyUdpRelay.Stats(3, 3, 0, 0, 0), relay.fromTarget());
        }
    }

    @Test
    void ignoresNewClientsBeyondTheLimit() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 1, 0, 0, 0, 2);
                UdpPeer c1 = UdpPeer.sink();
                UdpPeer c2 = UdpPeer.sink();
                UdpPeer c3 = UdpPeer.sink()) {
            c1.sendNumber(relay.address(), 1);
            c2.sendNumber(relay.address(), 2);
            assertTrue(await(() -> server.receivedCount() == 2, WAIT));
            c3.sendNumber(relay.address(), 3);
            c1.sendNumber(relay.address(), 4);

            assertTrue(await(() -> server.receivedCount() == 3, WAIT));
            assertEquals(List.of(1, 2, 4), server.receivedNumbers());
            assertEquals(2, relay.clientCount());
            assertEquals(1, relay.rejectedClients());
        }
    }

    @Test
    void closeStopsTheRelayThreadAndFreesEverySocket() throws Exception {
        InetSocketAddress front;
        InetSocketAddress upstream;
        String threadName;
        try (UdpPeer server = UdpPeer.sink();
                UdpPeer client = UdpPeer.sink()) {
            LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 1, 0, 0, 0.5);
            front = relay.address();
            threadName = "lossy-relay-" + front.getPort();
            assertTrue(liveThreadNamed(threadName));
            for (int i = 0; i < 20; i++) {
                client.sendNumber(front, i);
            }
            assertTrue(await(() -> server.receivedCount() == 20, WAIT));
            upstream = server.received().get(0).source();

            relay.close();
            relay.close(); // idempotent
        }

        assertFalse(liveThreadNamed(threadName));
        // Both ports can be bound again: the relay's sockets are really closed.
        for (InetSocketAddress port : List.of(front, upstream)) {
            try (DatagramSocket s = new DatagramSocket(port)) {
                assertEquals(port.getPort(), s.getLocalPort());
            }
        }
        assertNotEquals(front, upstream);
    }

    private static boolean liveThreadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals(name) && t.isDaemon());
    }
}
