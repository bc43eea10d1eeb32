package org.rxrpc.transport;

import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions.DebugAnswers;
import org.rxrpc.transport.io.UdpAddress;

/**
 * Who gets connectionless answers (rxdebug's DEBUG and VERSION), so that a spoofed source cannot turn
 * the endpoint into a reflector: DEBUG answers go to everyone, to local networks only (loopback,
 * link-local and private addresses: the default), or to no one; VERSION to everyone, as OpenAFS and
 * Linux answer it. Either way each source gets at most a few answers per second, and the endpoint as a
 * whole a few times that: a token bucket per source (in a fixed table: a newcomer takes over the slot of
 * its hash) and one in all. I/O thread only; allocates nothing.
 */
final class DebugPolicy {
    private static final int SLOTS = 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final int ALL_SOURCES_FACTOR = 10;

    private final DebugAnswers who;
    private final int perSecond;
    private final Counters counters;
    private final long[] keys = new long[SLOTS];
    private final long[] tokens = new long[SLOTS];
    private final long[] refilled = new long[SLOTS];
    private long allTokens;
    private long allRefilled;

    DebugPolicy(DebugAnswers who, int perSecond, Counters counters) {
        this.who = who;
        this.perSecond = perSecond;
        this.counters = counters;
    }

    /** Whether to answer {@code from} now; counts a refusal. {@code debug}: DEBUG, else VERSION. */
    boolean mayAnswer(UdpAddress from, boolean debug, long now) {
        boolean allowed = !debug || who == DebugAnswers.ALL || (who == DebugAnswers.LOCAL && isLocal(from));
        if (allowed && take(from, now)) return true;
        counters.inc(Counter.DEBUG_REQUESTS_REFUSED);
        return false;
    }

    private boolean take(UdpAddress from, long now) {
        long all = refill(allTokens, allRefilled, now, (long) perSecond * ALL_SOURCES_FACTOR);
        allRefilled = now;
        if (all < SECOND) {
            allTokens = all;
            return false;
        }
        int slot = (int) (mix(from.key()) & (SLOTS - 1));
        long t;
        if (keys[slot] != from.key() || refilled[slot] == 0) {
            keys[slot] = from.key();
            t = (long) perSecond * SECOND; // a new source starts with a full bucket
        } else {
            t = refill(tokens[slot], refilled[slot], now, perSecond);
        }
        refilled[slot] = now;
        if (t < SECOND) {
            tokens[slot] = t;
            allTokens = all;
            return false;
        }
        tokens[slot] = t - SECOND;
        allTokens = all - SECOND;
        return true;
    }

    /** Tokens are counted in nanoseconds of one answer's worth: {@code rate} answers a second, at most that many held. */
    private static long refill(long tokens, long since, long now, long rate) {
        long cap = rate * SECOND;
        if (since == 0) return cap;
        long elapsed = Math.max(0, now - since);
        return Math.min(cap, tokens + elapsed * rate);
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    /** Loopback, link-local, or a private network (RFC 1918, RFC 4193). */
    static boolean isLocal(UdpAddress a) {
        int b0 = a.byteAt(0) & 0xff;
        int b1 = a.byteAt(1) & 0xff;
        if (!a.isV6()) {
            return b0 == 127 // loopback
                    || b0 == 10
                    || (b0 == 172 && (b1 & 0xf0) == 16)
                    || (b0 == 192 && b1 == 168)
                    || (b0 == 169 && b1 == 254); // link-local
        }
        boolean loopback = b0 == 0 && b1 == 0;
        for (int i = 2; i < 15 && loopback; i++) loopback = a.byteAt(i) == 0;
        if (loopback && (a.byteAt(15) & 0xff) == 1) return true; // ::1
        return (b0 & 0xfe) == 0xfc // fc00::/7, unique local
                || (b0 == 0xfe && (b1 & 0xc0) == 0x80); // fe80::/10, link-local
    }
}
