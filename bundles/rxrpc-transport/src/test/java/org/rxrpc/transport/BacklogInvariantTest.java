package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.CallOptions;

/** The rings keep #calls >= #conns >= #peers whatever mix of charges and new calls comes. */
class BacklogInvariantTest {

    private static void assertInvariant(Backlog b) {
        int calls = b.calls.count();
        int conns = b.conns.count();
        int peers = b.peers.count();
        assertTrue(calls >= conns && conns >= peers, "calls " + calls + " conns " + conns + " peers " + peers);
        assertTrue(calls <= Backlog.MAX);
    }

    @Test
    void invariantHoldsAndEveryChargedCallFindsItsConnectionAndPeer() {
        Random random = new Random(3);
        Backlog b = new Backlog();
        for (int step = 0; step < 100_000; step++) {
            if (random.nextBoolean() && b.calls.count() < Backlog.MAX) {
                b.charge(new Call(null, false, 1, null, CallOptions.DEFAULT));
            } else if (b.calls.count() > 0) {
                // A new call from a new peer, a known peer on a new connection, or a known connection.
                int kind = random.nextInt(3);
                boolean needPeer = kind == 0;
                boolean needConn = kind <= 1;
                assertTrue(b.canSupply(needPeer, needConn), "a charged call must always be suppliable");
                if (needPeer) assertNotNull(b.peers.take());
                if (needConn) assertNotNull(b.conns.take());
                assertNotNull(b.calls.take());
                b.trim();
            }
            assertInvariant(b);
        }
    }
}
