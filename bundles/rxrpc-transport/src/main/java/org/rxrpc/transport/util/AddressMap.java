package org.rxrpc.transport.util;

import java.net.InetSocketAddress;

/**
 * An open-addressing map from socket addresses to objects for a single thread; lookups, inserts and
 * removals allocate nothing (only growing does), unlike {@link java.util.HashMap}, whose inserts
 * allocate a node.
 */
public final class AddressMap<V> {
    private InetSocketAddress[] keys;
    private Object[] values;
    private int size;

    public AddressMap(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(8, initialCapacity - 1)) << 1;
        keys = new InetSocketAddress[capacity];
        values = new Object[capacity];
    }

    public int size() {
        return size;
    }

    private static int slot(InetSocketAddress key, int mask) {
        int h = key.hashCode() * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    @SuppressWarnings("unchecked")
    public V get(InetSocketAddress key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            InetSocketAddress k = keys[i];
            if (k == null) return null;
            if (k == key || k.equals(key)) return (V) values[i];
        }
    }

    public void put(InetSocketAddress key, V value) {
        if ((size + 1) * 2 > keys.length) grow();
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            InetSocketAddress k = keys[i];
            if (k == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (k.equals(key)) {
                values[i] = value;
                return;
            }
        }
    }

    public void remove(InetSocketAddress key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (true) {
            InetSocketAddress k = keys[i];
            if (k == null) return;
            if (k.equals(key)) break;
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            if (((j - home) & mask) >= ((j - gap) & mask)) {
                keys[gap] = keys[j];
                values[gap] = values[j];
                gap = j;
            }
        }
        keys[gap] = null;
        values[gap] = null;
        size--;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        InetSocketAddress[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new InetSocketAddress[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) put(oldKeys[i], (V) oldValues[i]);
        }
    }
}
