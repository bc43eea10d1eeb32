package org.rxrpc.api;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A snapshot of an endpoint's counters, including aborts sent and received by code. */
public final class RxStats {
    private final long[] values;
    private final Map<Integer, Long> abortsSent;
    private final Map<Integer, Long> abortsReceived;

    /**
     * @param values indexed by {@link Counter#id()}, {@link Counter#maxId()} + 1 of them
     */
    public RxStats(long[] values, Map<Integer, Long> abortsSent, Map<Integer, Long> abortsReceived) {
        if (values.length != Counter.maxId() + 1) throw new IllegalArgumentException("one value per Counter id");
        this.values = values.clone();
        this.abortsSent = Collections.unmodifiableMap(new TreeMap<>(abortsSent));
        this.abortsReceived = Collections.unmodifiableMap(new TreeMap<>(abortsReceived));
    }

    public long get(Counter counter) {
        return values[counter.id()];
    }

    /** ABORT packets sent, by abort code. */
    public Map<Integer, Long> abortsSent() {
        return abortsSent;
    }

    /** ABORT packets received, by abort code. */
    public Map<Integer, Long> abortsReceived() {
        return abortsReceived;
    }

    /** All packets dropped as malformed, unroutable or unbufferable. */
    public long drops() {
        long sum = 0;
        for (Counter c : Counter.values()) {
            if (c.kind() == Counter.Kind.DROP) sum += get(c);
        }
        return sum;
    }

    /** Non-zero counters, one "NAME=value" per entry. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RxStats{");
        for (Counter c : Counter.values()) {
            if (get(c) != 0) sb.append(c.name()).append('=').append(get(c)).append(' ');
        }
        sb.append("abortsSent=").append(abortsSent).append(" abortsReceived=").append(abortsReceived);
        return sb.append('}').toString();
    }
}
