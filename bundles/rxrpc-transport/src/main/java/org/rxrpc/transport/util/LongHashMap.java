package org.rxrpc.transport.util;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to objects for a single thread. Lookups, inserts and removals
 * allocate nothing (only growing does, past 50% load), so the I/O thread can keep its tables here.
 */
public final class LongHashMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;

    public LongHashMap(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(8, initialCapacity - 1)) << 1;
        keys = new long[capacity];
        values = new Object[capacity];
    }

    public int size() {
        return size;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
        }
    }

    /** @return the previous value */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (value == null) throw new NullPointerException("value");
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return null;
            }
            if (keys[i] == key) {
                values[i] = value;
                return (V) v;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (true) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) break;
            i = (i + 1) & mask;
        }
        V removed = (V) values[i];
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int gap = i;
        for (int j = (gap + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = hash(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        values[gap] = null;
        keys[gap] = 0;
        size--;
        return removed;
    }

    public void clear() {
        Arrays.fill(values, null);
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) put(oldKeys[i], castValue(oldValues[i]));
        }
    }

    @SuppressWarnings("unchecked")
    private V castValue(Object o) {
        return (V) o;
    }
}
