package org.rxrpc.transport.osgi;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.Counter;
import org.rxrpc.api.RxEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the endpoints' counters from the transport's monitor thread (never the I/O thread's path) for
 * what needs a person: a BUSY storm, i.e. at least {@link #STORM_BUSY} new calls answered BUSY within
 * {@link #WINDOW_NANOS} (the services' backlogs empty: at their maxLiveCalls, or their workers slow), said
 * at WARN at most once a minute per endpoint.
 */
final class Monitor {
    private static final Logger LOG = LoggerFactory.getLogger("org.rxrpc.transport.health");
    static final long STORM_BUSY = 100;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final class Watch {
        long windowStart;
        long busyAtWindowStart = -1;
        long warnedAt;
        boolean warned;
    }

    private final Map<RxEndpoint, Watch> watches = new IdentityHashMap<>();

    /** One look at every open endpoint. */
    synchronized void look(Iterable<RxEndpoint> open, long now) {
        Map<RxEndpoint, Watch> seen = new IdentityHashMap<>();
        for (RxEndpoint e : open) {
            Watch w = watches.getOrDefault(e, new Watch());
            seen.put(e, w);
            long busy = e.stats().get(Counter.BUSY_SENT);
            if (w.busyAtWindowStart < 0 || now - w.windowStart >= WINDOW_NANOS) {
                w.windowStart = now;
                w.busyAtWindowStart = busy;
                continue;
            }
            long inWindow = busy - w.busyAtWindowStart;
            if (inWindow >= STORM_BUSY && (!w.warned || now - w.warnedAt >= QUIET_NANOS)) {
                w.warned = true;
                w.warnedAt = now;
                LOG.warn(
                        "udp {}: {} new calls answered BUSY in the last {} s: the services' backlogs are empty (calls"
                                + " at maxLiveCalls, or a slow worker); clients retry. See rx:services.",
                        e.localAddress(),
                        inWindow,
                        TimeUnit.NANOSECONDS.toSeconds(now - w.windowStart) + 1);
                w.windowStart = now;
                w.busyAtWindowStart = busy;
            }
        }
        watches.clear();
        watches.putAll(seen);
    }
}
