package org.rxrpc.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One ring of preallocated objects, as in Linux's struct rxrpc_backlog: producers (charging threads)
 * serialise among themselves under the backlog's lock; the single consumer is the I/O thread (or the
 * closing thread once the I/O thread has let go). Head and tail are published with release stores and
 * read with acquire loads, like smp_store_release / smp_load_acquire in the kernel.
 */
final class BacklogRing<T> {
    static final int SIZE = 32;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

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

    int count() {
        return (int) HEAD.getAcquire(this) - (int) TAIL.getAcquire(this);
    }

    /** Producer side, under the backlog lock. */
    void push(T item) {
        int h = (int) HEAD.getOpaque(this);
        if (h - (int) TAIL.getAcquire(this) >= SIZE) throw new IllegalStateException("backlog ring overflow");
        slots[h & (SIZE - 1)] = item;
        HEAD.setRelease(this, h + 1);
    }

    /** Consumer side: the oldest item, or null when empty. */
    @SuppressWarnings("unchecked")
    T take() {
        int t = (int) TAIL.getOpaque(this);
        if (t == (int) HEAD.getAcquire(this)) return null;
        int i = t & (SIZE - 1);
        T item = (T) slots[i];
        slots[i] = null;
        TAIL.setRelease(this, t + 1);
        return item;
    }
}
