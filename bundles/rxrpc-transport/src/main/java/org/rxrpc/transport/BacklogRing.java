package org.rxrpc.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One ring of preallocated objects, as in Linux's struct rxrpc_backlog: producers (charging threads)
 * serialise among themselves under the listener's charge lock; the consumer is the I/O thread. Head and
 * tail are published with release stores and read with acquire loads, like smp_store_release /
 * smp_load_acquire in the kernel.
 *
 * <p>Taking moves the tail with a compare-and-set, so that a service closing while its I/O thread is
 * stuck can take the remaining items itself: each item is taken exactly once, by one side or the other.
 */
final class BacklogRing<T> {
    static final int SIZE = org.rxrpc.api.RxEndpoint.MAX_BACKLOG; // a power of two
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(BacklogRing.class, "head", int.class);
            TAIL = l.findVarHandle(BacklogRing.class, "tail", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots = new Object[SIZE];

    @SuppressWarnings("unused") // accessed through HEAD
    private int head;

    @SuppressWarnings("unused") // accessed through TAIL
    private int tail;

    /** Items published and not yet taken, as this thread can see them now. */
    int count() {
        return (int) HEAD.getAcquire(this) - (int) TAIL.getAcquire(this);
    }

    /** Producer side, under the charge lock. */
    void push(T item) {
        int h = (int) HEAD.getOpaque(this);
        if (h - (int) TAIL.getAcquire(this) >= SIZE) throw new IllegalStateException("backlog ring overflow");
        SLOTS.setRelease(slots, h & (SIZE - 1), item);
        HEAD.setRelease(this, h + 1);
    }

    /** Consumer side: the oldest item, or null when empty. */
    @SuppressWarnings("unchecked")
    T take() {
        while (true) {
            int t = (int) TAIL.getAcquire(this);
            if (t == (int) HEAD.getAcquire(this)) return null;
            int i = t & (SIZE - 1);
            Object item = SLOTS.getAcquire(slots, i);
            if (TAIL.compareAndSet(this, t, t + 1)) {
                // Let go of the reference unless the producer has already reused the slot.
                SLOTS.compareAndSet(slots, i, item, null);
                return (T) item;
            }
        }
    }
}
