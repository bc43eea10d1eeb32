package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rxrpc.api.CallOptions;

/**
 * The timer wheel of the live calls, driven by a clock of the test's: every deadline fires once, never
 * early and at most a tick late, whatever the number of rounds it waits; unscheduling and rescheduling
 * move it; the next wake-up is the end of the first occupied tick.
 */
class LiveCallsTimerWheelTest {
    private static final long MS = 1_000_000L;

    /** Records what fires; rescheduling is the test's own business. */
    private static final class Fired implements LiveCalls.Due {
        final List<Call> calls = new ArrayList<>();
        final List<Long> at = new ArrayList<>();

        @Override
        public void timers(Call call, long now) {
            calls.add(call);
            at.add(now);
        }
    }

    private static Call call() {
        return new Call(null, false, 1, null, CallOptions.DEFAULT);
    }

    @Test
    void everyDeadlineFiresOnceNeverEarlyAndAtMostATickLateOverManyRounds() {
        long t0 = 1_000_000 * MS;
        LiveCalls live = new LiveCalls(t0);
        Fired fired = new Fired();
        SplittableRandom random = new SplittableRandom(11);
        int n = 5000;
        Call[] calls = new Call[n];
        long[] deadline = new long[n];
        for (int i = 0; i < n; i++) {
            calls[i] = call();
            live.add(calls[i]);
            deadline[i] = t0 + random.nextLong(1, 3000 * MS); // up to 6 rounds of the 512-tick wheel
            live.schedule(calls[i], deadline[i]);
        }
        long now = t0;
        while (now < t0 + 3100 * MS) {
            now += random.nextLong(1, 3 * MS); // an uneven loop
            live.fireDue(now, fired);
        }
        assertEquals(n, fired.calls.size(), "each fired once");
        for (int k = 0; k < n; k++) {
            Call c = fired.calls.get(k);
            int i = java.util.Arrays.asList(calls).indexOf(c);
            long late = fired.at.get(k) - deadline[i];
            assertTrue(late >= 0, "fired " + (-late) + " ns early");
            assertTrue(late <= 4 * MS, "fired " + late + " ns late"); // a tick plus the test loop's step
        }
    }

    @Test
    void anUnscheduledCallDoesNotFireAndARescheduledOneFiresAtItsNewDeadline() {
        long t0 = 5 * MS;
        LiveCalls live = new LiveCalls(t0);
        Fired fired = new Fired();
        Call a = call();
        Call b = call();
        live.add(a);
        live.add(b);
        live.schedule(a, t0 + 10 * MS);
        live.schedule(b, t0 + 10 * MS);
        live.unschedule(a);
        live.schedule(b, t0 + 700 * MS); // moved a round and more away
        live.fireDue(t0 + 20 * MS, fired);
        assertEquals(List.of(), fired.calls);
        live.fireDue(t0 + 700 * MS, fired);
        assertEquals(List.of(), fired.calls, "not before its tick has ended");
        live.fireDue(t0 + 702 * MS, fired);
        assertEquals(List.of(b), fired.calls);
        live.remove(b);
        live.remove(a);
        assertEquals(0, live.count());
    }

    @Test
    void theNextWakeUpIsTheEndOfTheFirstOccupiedTickAndNoneWhenEmpty() {
        long t0 = 100 * MS;
        LiveCalls live = new LiveCalls(t0);
        assertEquals(0, live.nextWake());
        Call a = call();
        live.add(a);
        live.schedule(a, t0 + 37 * MS + 5);
        assertEquals(t0 + 38 * MS, live.nextWake());
        Call b = call();
        live.add(b);
        live.schedule(b, t0 + 3 * MS);
        assertEquals(t0 + 4 * MS, live.nextWake());
        live.remove(b);
        live.fireDue(t0 + 20 * MS, new Fired());
        assertEquals(t0 + 38 * MS, live.nextWake());
        live.schedule(a, t0 + 1000 * MS); // past the wheel's 512 ticks: wake when its slot comes round
        long wake = live.nextWake();
        assertTrue(wake > t0 + 20 * MS && wake <= t0 + 1000 * MS + MS, "wake " + (wake - t0) / MS + " ms");
        live.remove(a);
        assertEquals(0, live.nextWake());
    }
}
