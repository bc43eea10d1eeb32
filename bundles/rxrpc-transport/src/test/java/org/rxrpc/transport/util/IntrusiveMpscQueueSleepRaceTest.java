package org.rxrpc.transport.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O thread's sleep protocol (Endpoint.run and enqueue) as a litmus test: the consumer writes
 * "sleeping" and then asks {@link IntrusiveMpscQueue#isEmpty}; a producer offers and then reads "sleeping"
 * to decide whether to wake it. At least one of them must see the other, or an offer waits for the I/O
 * thread's next timer (1 ms and more). Both threads run through arrays of queue and flag pairs at once
 * (as jcstress does), so that their steps overlap at some index in every batch.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IntrusiveMpscQueueSleepRaceTest {
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int PAIRS = 4096;

    private static final class Item extends IntrusiveMpscQueue.Node {}

    /** A queue and its consumer's "sleeping" flag, as an endpoint has them. */
    private static final class Pair {
        final IntrusiveMpscQueue<Item> queue = new IntrusiveMpscQueue<>();
        final Item item = new Item();
        volatile boolean sleeping;
        boolean producerSawSleeping;
        boolean consumerSawEmpty;
    }

    private volatile boolean stop;

    @Test
    void aConsumerGoingToSleepAndAProducerOfferingNeverBothMissEachOther() throws Exception {
        Pair[] pairs = new Pair[PAIRS];
        for (int i = 0; i < PAIRS; i++) pairs[i] = new Pair();
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        long deadline = System.nanoTime() + RUN_NANOS;
        long[] batches = new long[1];
        long missed = 0;
        Thread producer = new Thread(() -> {
            try {
                while (true) {
                    start.await();
                    if (stop) return;
                    for (Pair p : pairs) {
                        p.queue.offer(p.item);
                        p.producerSawSleeping = p.sleeping;
                    }
                    end.await();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        producer.setDaemon(true);
        producer.start();
        try {
            while (System.nanoTime() - deadline < 0) {
                start.await();
                for (Pair p : pairs) {
                    p.sleeping = true;
                    p.consumerSawEmpty = p.queue.isEmpty();
                }
                end.await();
                for (Pair p : pairs) {
                    if (p.consumerSawEmpty && !p.producerSawSleeping) missed++;
                    Item taken;
                    while ((taken = p.queue.poll()) == null) Thread.onSpinWait();
                    assertEquals(p.item, taken);
                    assertTrue(p.queue.isEmpty(), "one offer, one poll: empty again");
                    p.sleeping = false;
                }
                batches[0]++;
            }
        } finally {
            stop = true;
            start.await(5, TimeUnit.SECONDS);
            producer.join(5_000);
        }
        long rounds = batches[0] * PAIRS;
        assertTrue(rounds > 100_000, "enough rounds to mean something: " + rounds);
        assertEquals(0, missed, "offers lost to a consumer going to sleep, of " + rounds + " rounds");
    }
}
