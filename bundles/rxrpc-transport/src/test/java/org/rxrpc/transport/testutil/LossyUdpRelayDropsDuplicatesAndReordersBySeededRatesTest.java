package org.rxrpc.transport.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rxrpc.transport.testutil.UdpPeer.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LossyUdpRelayDropsDuplicatesAndReordersBySeededRatesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough that nothing legitimately in flight is mistaken for "nothing more will come". */
    private static final Duration QUIET = Duration.ofMillis(200);

    @Test
    void lossRateOneDeliversNothing() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 7, 1.0, 0, 0);
                UdpPeer client = UdpPeer.sink()) {
            for (int i = 0; i < 100; i++) {
                client.sendNumber(relay.address(), i);
            }

            assertTrue(await(() -> relay.toTarget().received() == 100, WAIT));
            Thread.sleep(QUIET.toMillis());
            assertEquals(0, server.receivedCount());
            assertEquals(new LossyUdpRelay.Stats(100, 0, 100, 0, 0), relay.toTarget());
        }
    }

    @Test
    void duplicateRateOneDeliversEachDatagramTwiceBackToBack() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 7, 0, 1.0, 0);
                UdpPeer client = UdpPeer.sink()) {
            for (int i = 0; i < 50; i++) {
                client.sendNumber(relay.address(), i);
            }

            assertTrue(await(() -> server.receivedCount() == 100, WAIT));
            Thread.sleep(QUIET.toMillis());
            assertEquals(IntStream.range(0, 100).map(i -> i / 2).boxed().toList(), server.receivedNumbers());
            assertEquals(new LossyUdpRelay.Stats(50, 50, 0, 50, 0), relay.toTarget());
        }
    }

    @Test
    void reorderRateOneSwapsNeighboursAndReleasesALoneDatagramAfterTheHold() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 7, 0, 0, 1.0);
                UdpPeer client = UdpPeer.sink()) {
            // A long hold, so the pairs below are swapped even on a slow machine.
            relay.setReorderHold(Duration.ofMillis(500));
            for (int i = 1; i <= 4; i++) {
                client.sendNumber(relay.address(), i);
            }
            assertTrue(await(() -> server.receivedCount() == 4, WAIT));
            assertEquals(List.of(2, 1, 4, 3), server.receivedNumbers());

            long start = System.nanoTime();
            client.sendNumber(relay.address(), 5);
            assertTrue(await(() -> server.receivedCount() == 5, WAIT));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos(), "5 waited for the hold timer");
            assertEquals(new LossyUdpRelay.Stats(5, 5, 0, 0, 3), relay.toTarget());
        }
    }

    @Test
    void setRatesHealsTheLink() throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 7, 1.0, 0, 0);
                UdpPeer client = UdpPeer.sink()) {
            for (int i = 0; i < 10; i++) {
                client.sendNumber(relay.address(), i);
            }
            assertTrue(await(() -> relay.toTarget().received() == 10, WAIT));

            relay.setRates(0, 0, 0);
            for (int i = 10; i < 20; i++) {
                client.sendNumber(relay.address(), i);
            }

            assertTrue(await(() -> server.receivedCount() == 10, WAIT));
            assertEquals(IntStream.range(10, 20).boxed().toList(), server.receivedNumbers());
        }
    }

    @Test
    void sameSeedGivesTheSameFates() throws Exception {
        assertEquals(fatesOf(42), fatesOf(42));
    }

    /** What a sink receives through a 30% loss / 30% duplicate relay: depends only on the seed. */
    private static List<Integer> fatesOf(long seed) throws Exception {
        try (UdpPeer server = UdpPeer.sink();
                LossyUdpRelay relay = LossyUdpRelay.start(server.address(), seed, 0.3, 0.3, 0);
                UdpPeer client = UdpPeer.sink()) {
            for (int i = 0; i < 200; i++) {
                client.sendNumber(relay.address(), i);
            }
            assertTrue(await(() -> relay.toTarget().received() == 200, WAIT));
            LossyUdpRelay.Stats s = relay.toTarget();
            assertTrue(await(() -> server.receivedCount() == s.forwarded() + s.duplicated(), WAIT));
            return server.receivedNumbers();
        }
    }

    @Test
    void tenPercentOfEachImpairmentOver2000DatagramsEachWay() throws Exception {
        int n = 2000;
        LossyUdpRelay.Stats up;
        LossyUdpRelay.Stats down;
        String threadName;
        try (UdpPeer server = UdpPeer.echoServer();
                UdpPeer client = UdpPeer.sink()) {
            LossyUdpRelay relay = LossyUdpRelay.start(server.address(), 20261128L, 0.1, 0.1, 0.1);
            try {
                threadName = "lossy-relay-" + relay.address().getPort();
                for (int i = 0; i < n; i++) {
                    client.sendNumber(relay.address(), i);
                    if (i % 50 == 49) {
                        int sent = i + 1;
                        assertTrue(await(() -> relay.toTarget().received() >= sent, WAIT));
                    }
                }
                // Wait until the held datagrams are out and every echo has come back through the relay.
                assertTrue(
                        await(
                                () -> {
                                    LossyUdpRelay.Stats u = relay.toTarget();
                                    LossyUdpRelay.Stats d = relay.fromTarget();
                                    return u.forwarded() + u.dropped() == n
                                            && d.received() == u.forwarded() + u.duplicated()
                                            && d.forwarded() + d.dropped() == d.received()
                                            && client.receivedCount() == d.forwarded() + d.duplicated();
                                },
                                WAIT),
                        () -> "up " + relay.toTarget() + " down " + relay.fromTarget() + " client got "
                                + client.receivedCount());
                up = relay.toTarget();
                down = relay.fromTarget();
                assertEquals(0, relay.sendFailures());
            } finally {
                relay.close();
            }
            assertEquals(up.forwarded() + up.duplicated(), server.receivedCount());
        }

        // Binomial(2000, 0.1) has mean 200 and standard deviation 13: these bounds are about 5 sigma.
        assertEquals(n, up.received());
        assertInRange("dropped up", up.dropped(), 130, 270);
        assertInRange("duplicated up", up.duplicated(), 100, 260);
        assertInRange("reordered up", up.reordered(), 80, 250);
        // The way back sees about 1980 datagrams (2000 - lost + duplicates): the same bounds fit.
        assertInRange("dropped down", down.dropped(), 130, 270);
        assertInRange("duplicated down", down.duplicated(), 100, 260);
        assertInRange("reordered down", down.reordered(), 80, 250);
        assertTrue(
                Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().equals(threadName)),
                "relay thread still alive after close()");
    }

    private static void assertInRange(String what, long value, long min, long max) {
        assertTrue(value >= min && value <= max, what + " = " + value + ", expected " + min + ".." + max);
    }
}
