package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.CallOptions;

/**
 * A worker charges under the lock while the I/O thread's side takes new calls of every kind (new peer,
 * new connection from a known peer, new call on a known connection): at every observation #peers &gt;=
 * #conns &gt;= #calls, and a call seen charged is always supplied with what it needs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BacklogRingsUnderConcurrentChargeAndTakeTest {
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(700);

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 32})
    void aChargedCallIsNeverRefusedAndTheRingsNeverBreakTheirOrder(int backlogMax) throws Exception {
        Backlog b = new Backlog();
        Object chargeLock = new Object();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong charged = new AtomicLong();
        Thread producer = new Thread(() -> {
            while (!stop.get()) {
                synchronized (chargeLock) {
                    if (b.calls.count() < backlogMax) {
                        b.charge(new Call(null, false, 1, null, CallOptions.DEFAULT));
                        charged.incrementAndGet();
                    }
                }
            }
        });
        producer.start();
        SplittableRandom random = new SplittableRandom(backlogMax);
        long observations = 0;
        long taken = 0;
        long[] byKind = new long[3];
        try {
            long end = System.nanoTime() + RUN_NANOS;
            while (System.nanoTime() < end) {
                // Read in the consumer's order: calls, then connections, then peers.
                int calls = b.calls.count();
                int conns = b.conns.count();
                int peers = b.peers.count();
                observations++;
                assertTrue(
                        peers >= conns && conns >= calls && peers <= backlogMax,
                        "peers " + peers + " conns " + conns + " calls " + calls);
                int kind = random.nextInt(3); // 0 new peer, 1 new connection, 2 known connection
                Call call = b.take(kind == 0, kind <= 1);
                if (calls > 0) assertNotNull(call, "a call seen charged was refused");
                if (call == null) continue;
                if (kind == 0) assertNotNull(b.takenPeer, "no peer for a charged call");
                if (kind <= 1) assertNotNull(b.takenConn, "no connection for a charged call");
                taken++;
                byKind[kind]++;
            }
        } finally {
            stop.set(true);
            producer.join();
        }
        assertEquals(0, b.invariantBroken);
        assertEquals(charged.get(), taken + b.calls.count(), "every charged call taken once or still charged");
        assertTrue(b.peers.count() >= b.conns.count() && b.conns.count() >= b.calls.count());
        assertTrue(byKind[0] > 0 && byKind[1] > 0 && byKind[2] > 0);
        System.out.printf(
                "backlog %d: %d observations, %d calls taken (new peer %d, new connection %d, known %d)%n",
                backlogMax, observations, taken, byKind[0], byKind[1], byKind[2]);
    }
}
