package org.rxrpc.transport.util;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer multi-consumer queue (Vyukov's ring). Offer and poll allocate
 * nothing, so the I/O thread may use it on the hot path.
 */
public final class MpmcRing<T> {
    private final int mask;
    private final AtomicReferenceArray<T> items;
    private final AtomicLongArray sequences;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    public MpmcRing(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
        mask = capacity - 1;
        items = new AtomicReferenceArray<>(capacity);
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) sequences.set(i, i);
    }

    public int capacity() {
        return mask + 1;
    }

    /** @return false if full */
    public boolean offer(T item) {
        while (true) {
            long pos = tail.get();
            int index = (int) pos & mask;
            long seq = sequences.get(index);
            long diff = seq - pos;
            if (diff == 0) {
                if (tail.compareAndSet(pos, pos + 1)) {
                    items.lazySet(index, item);
                    sequences.set(index, pos + 1);
                    return true;
                }
            } else if (diff < 0) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /** @return the oldest item, or null if empty */
    public T poll() {
        while (true) {
            long pos = head.get();
            int index = (int) pos & mask;
            long seq = sequences.get(index);
            long diff = seq - (pos + 1);
            if (diff == 0) {
                if (head.compareAndSet(pos, pos + 1)) {
                    T item = items.get(index);
                    items.lazySet(index, null);
                    sequences.set(index, pos + mask + 1);
                    return item;
                }
            } else if (diff < 0) {
                return null;
            }
            Thread.onSpinWait();
        }
    }

    /** An estimate under concurrency. */
    public int size() {
        return (int) Math.max(0, tail.get() - head.get());
    }
}
