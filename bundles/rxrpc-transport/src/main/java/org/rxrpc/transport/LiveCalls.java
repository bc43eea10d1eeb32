package org.rxrpc.transport;

/**
 * The endpoint's live calls, on the I/O thread: an intrusive list to walk them all (aborts, counts), and
 * a hashed timer wheel for their timers (Netty's HashedWheelTimer; Linux arms a timer per call), so that
 * finding what is due costs what is due, not what is live. Each call has one deadline (its earliest
 * timer, {@link Call#nextTimer}) and sits in the slot of that deadline's tick; a slot holds the calls of
 * every round, and a tick fires only the ones whose deadline has passed. Ticks of 1 ms: a timer fires up
 * to a millisecond late, never early. Nothing here allocates.
 */
final class LiveCalls {
    static final long TICK_NANOS = 1_000_000L;

    /** Runs a call's due timers (CallEvents). */
    interface Due {
        void timers(Call call, long now);
    }

    private static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;

    private Call head;
    private int count;
    private final Call[] wheel = new Call[SLOTS];
    /** Non-empty slots, a bit each, to find the next wake-up without scanning. */
    private final long[] occupied = new long[SLOTS / 64];
    /** Every tick before this one has been fired. */
    private long cursor;

    LiveCalls(long now) {
        cursor = now / TICK_NANOS;
    }

    int count() {
        return count;
    }

    Call first() {
        return head;
    }

    void add(Call call) {
        if (call.onLiveList) return;
        call.onLiveList = true;
        call.prevLive = null;
        call.nextLive = head;
        if (head != null) head.prevLive = call;
        head = call;
        count++;
    }

    void remove(Call call) {
        unschedule(call);
        if (!call.onLiveList) return;
        call.onLiveList = false;
        if (call.prevLive != null) call.prevLive.nextLive = call.nextLive;
        else head = call.nextLive;
        if (call.nextLive != null) call.nextLive.prevLive = call.prevLive;
        call.prevLive = null;
        call.nextLive = null;
        count--;
    }

    /** Sets the call's one deadline (its earliest timer). */
    void schedule(Call call, long deadline) {
        unschedule(call);
        call.nextTimer = deadline;
        long tick = Math.max(cursor, deadline / TICK_NANOS);
        int slot = (int) (tick & MASK);
        call.wheelSlot = slot;
        call.wheelPrev = null;
        call.wheelNext = wheel[slot];
        if (wheel[slot] != null) wheel[slot].wheelPrev = call;
        wheel[slot] = call;
        occupied[slot >>> 6] |= 1L << slot;
    }

    void unschedule(Call call) {
        int slot = call.wheelSlot;
        if (slot < 0) return;
        if (call.wheelPrev != null) call.wheelPrev.wheelNext = call.wheelNext;
        else wheel[slot] = call.wheelNext;
        if (call.wheelNext != null) call.wheelNext.wheelPrev = call.wheelPrev;
        if (wheel[slot] == null) occupied[slot >>> 6] &= ~(1L << slot);
        call.wheelPrev = null;
        call.wheelNext = null;
        call.wheelSlot = -1;
    }

    /**
     * Runs the timers of the ticks that have ended by {@code now}; a call whose timers ran is
     * rescheduled by them ({@link CallEvents#scheduleTimers}).
     */
    void fireDue(long now, Due events) {
        long nowTick = now / TICK_NANOS;
        long ticks = Math.min(nowTick - cursor, SLOTS);
        for (long i = 0; i < ticks; i++) {
            int slot = (int) ((cursor + i) & MASK);
            for (Call c = wheel[slot]; c != null; ) {
                Call next = c.wheelNext;
                if (c.nextTimer / TICK_NANOS < nowTick) { // due (or of a tick already passed)
                    unschedule(c);
                    events.timers(c, now);
                }
                c = next;
            }
        }
        if (nowTick > cursor) cursor = nowTick;
    }

    /**
     * When the I/O thread should next look, for the calls' timers: the end of the first occupied tick
     * (a slot may hold calls of a later round: waking for them costs one look), or 0 if none.
     */
    long nextWake() {
        int start = (int) (cursor & MASK);
        int words = occupied.length;
        for (int k = 0; k <= words; k++) {
            int word = ((start >>> 6) + k) % words;
            long bits = occupied[word];
            if (k == 0) bits &= -1L << start; // the first word from the cursor's slot on
            else if (k == words) bits &= ~(-1L << start); // back at it: the slots before the cursor's
            if (bits != 0) {
                int slot = (word << 6) + Long.numberOfTrailingZeros(bits);
                long tick = cursor + ((slot - start) & MASK);
                return (tick + 1) * TICK_NANOS;
            }
        }
        return 0;
    }
}
