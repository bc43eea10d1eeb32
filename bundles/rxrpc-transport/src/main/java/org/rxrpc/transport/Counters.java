package org.rxrpc.transport;

import java.util.HashMap;
import java.util.Map;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxStats;
import org.rxrpc.transport.util.LongHashMap;

/** The endpoint's counters. Written only by the I/O thread; snapshots are taken on it too. */
final class Counters {
    private final long[] values = new long[Counter.maxId() + 1];
    private final LongHashMap<long[]> abortsSent = new LongHashMap<>(16);
    private final LongHashMap<long[]> abortsReceived = new LongHashMap<>(16);
    private final int[] sentCodes = new int[64];
    private final int[] receivedCodes = new int[64];
    private int sentCodeCount;
    private int receivedCodeCount;

    void inc(Counter c) {
        values[c.id()]++;
    }

    void add(Counter c, long n) {
        values[c.id()] += n;
    }

    long get(Counter c) {
        return values[c.id()];
    }

    void abortSent(int code) {
        sentCodeCount = count(abortsSent, sentCodes, sentCodeCount, code);
    }

    void abortReceived(int code) {
        receivedCodeCount = count(abortsReceived, receivedCodes, receivedCodeCount, code);
    }

    /** Allocates only the first time a code is seen, and keeps at most 64 distinct codes. */
    private static int count(LongHashMap<long[]> map, int[] codes, int n, int code) {
        long[] cell = map.get(code);
        if (cell == null) {
            if (n == codes.length) return n;
            cell = new long[1];
            map.put(code, cell);
            codes[n++] = code;
        }
        cell[0]++;
        return n;
    }

    RxStats snapshot(long ioThreadAllocatedBytes) {
        long[] copy = values.clone();
        copy[Counter.IO_THREAD_ALLOCATED_BYTES.id()] = ioThreadAllocatedBytes;
        return new RxStats(
                copy,
                toMap(abortsSent, sentCodes, sentCodeCount),
                toMap(abortsReceived, receivedCodes, receivedCodeCount));
    }

    private static Map<Integer, Long> toMap(LongHashMap<long[]> map, int[] codes, int n) {
        Map<Integer, Long> out = new HashMap<>();
        for (int i = 0; i < n; i++) out.put(codes[i], map.get(codes[i])[0]);
        return out;
    }
}
