package org.rxrpc.rxperf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;

/**
 * An rxperf load run: caller threads, one {@link RxperfClient} each, spread over client endpoints, a
 * warm-up whose calls are counted apart, then the recorded calls, a progress line a second, and a
 * {@link Result} with latency percentiles. Used by the runtime's {@code rxperf} command and the shell's
 * {@code rx:rxperf}.
 *
 * <p>A run never outlasts its time: when it is over, calls still in progress get a grace period (5 s;
 * none if no call ever completed, i.e. the server does not answer), then the endpoints are closed, which
 * ends them; such cut-off calls are not counted. A run in which no call completed says so in
 * {@link Result#error()}.
 */
public final class RxperfLoad {
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_FAILURES_SHOWN = 10;
    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    /**
     * What to run.
     *
     * @param op {@link Rxperf#OP_RPC}, {@link Rxperf#OP_SEND} or {@link Rxperf#OP_RECV}
     * @param calls recorded calls in all, shared by the threads; 0 = no limit (then {@code seconds} must be
     *     positive)
     * @param seconds recording time; 0 = until {@code calls} are made
     * @param warmupSeconds unrecorded calls first, for this long (0 = none)
     */
    public record Settings(
            InetSocketAddress server,
            int op,
            long requestBytes,
            long replyBytes,
            int concurrency,
            long calls,
            double seconds,
            double warmupSeconds,
            boolean newConnection,
            boolean verify) {
        /** @throws IllegalArgumentException naming the setting out of its range */
        public Settings {
            Objects.requireNonNull(server, "server");
            if (op != Rxperf.OP_RPC && op != Rxperf.OP_SEND && op != Rxperf.OP_RECV)
                throw new IllegalArgumentException("op must be " + Rxperf.OP_RPC + " (rpc), " + Rxperf.OP_SEND
                        + " (send) or " + Rxperf.OP_RECV + " (recv), not " + op);
            if (requestBytes < 0 || requestBytes > Integer.MAX_VALUE)
                throw new IllegalArgumentException("requestBytes must be 0.." + Integer.MAX_VALUE);
            if (replyBytes < 0 || replyBytes > Integer.MAX_VALUE)
                throw new IllegalArgumentException("replyBytes must be 0.." + Integer.MAX_VALUE);
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
            if (calls < 0) throw new IllegalArgumentException("calls must not be negative");
            if (seconds < 0 || Double.isNaN(seconds))
                throw new IllegalArgumentException("seconds must not be negative");
            if (calls == 0 && seconds == 0) throw new IllegalArgumentException("give a number of calls or seconds");
            if (warmupSeconds < 0 || Double.isNaN(warmupSeconds))
                throw new IllegalArgumentException("warmupSeconds must not be negative");
        }

        /** Payload bytes per call, both ways (the sizes the op does not use count 0). */
        public long bytesPerCall() {
            return (op == Rxperf.OP_RECV ? 0 : requestBytes) + (op == Rxperf.OP_SEND ? 0 : replyBytes);
        }

        public String mode() {
            return op == Rxperf.OP_SEND ? "send" : op == Rxperf.OP_RECV ? "recv" : "rpc";
        }
    }

    /**
     * What a run did.
     *
     * @param ok recorded calls that succeeded
     * @param failed recorded calls that failed (cut-off calls at the end are not counted)
     * @param warmupOk warm-up calls that succeeded
     * @param warmupFailed warm-up calls that failed
     * @param seconds how long the recording lasted
     * @param error why the run failed as a whole (no call completed), or null
     */
    public record Result(
            Settings settings,
            long ok,
            long failed,
            long warmupOk,
            long warmupFailed,
            double seconds,
            long p50Micros,
            long p90Micros,
            long p99Micros,
            long p999Micros,
            long maxMicros,
            String error) {

        /** No error, no failed call, and at least one recorded call succeeded. */
        public boolean succeeded() {
            return error == null && failed == 0 && ok > 0;
        }

        public double callsPerSecond() {
            return ok / Math.max(seconds, 1e-9);
        }

        /** Payload megabytes (1e6 bytes) per second. */
        public double megabytesPerSecond() {
            return (double) ok * settings.bytesPerCall() / 1e6 / Math.max(seconds, 1e-9);
        }

        /** The human summary: calls, rate, throughput, latency, warm-up, and the error if any. */
        public List<String> summary() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(
                    Locale.ROOT, "calls      %d (ok %d, failed %d) in %.3f s", ok + failed, ok, failed, seconds));
            lines.add(String.format(Locale.ROOT, "calls/s    %.1f", callsPerSecond()));
            lines.add(String.format(Locale.ROOT, "MB/s       %.3f (payload, 1 MB = 1e6 B)", megabytesPerSecond()));
            lines.add(String.format(
                    Locale.ROOT,
                    "latency us p50 %d  p90 %d  p99 %d  p99.9 %d  max %d",
                    p50Micros,
                    p90Micros,
                    p99Micros,
                    p999Micros,
                    maxMicros));
            lines.add(String.format(
                    Locale.ROOT,
                    "warm-up    %d calls (ok %d, failed %d)",
                    warmupOk + warmupFailed,
                    warmupOk,
                    warmupFailed));
            if (error != null) lines.add("error      " + error);
            return lines;
        }

        /** One line in the format of the OpenAFS C rxperf_client's, for scripts. */
        public String resultLine() {
            return String.format(
                    Locale.ROOT,
                    "RESULT calls=%d ok=%d failed=%d seconds=%.3f calls_per_sec=%.1f MB_per_sec=%.3f p50_us=%d"
                            + " p90_us=%d p99_us=%d p999_us=%d max_us=%d warmup_calls=%d warmup_failed=%d",
                    ok + failed,
                    ok,
                    failed,
                    seconds,
                    callsPerSecond(),
                    megabytesPerSecond(),
                    p50Micros,
                    p90Micros,
                    p99Micros,
                    p999Micros,
                    maxMicros,
                    warmupOk + warmupFailed,
                    warmupFailed);
        }

        /** The result as one JSON object, for scripts. */
        public String json() {
            InetSocketAddress s = settings.server();
            return String.format(
                    Locale.ROOT,
                    "{\"server\":\"%s\",\"mode\":\"%s\",\"request_bytes\":%d,\"reply_bytes\":%d,\"concurrency\":%d,"
                            + "\"calls\":%d,\"ok\":%d,\"failed\":%d,\"seconds\":%.3f,\"calls_per_sec\":%.1f,"
                            + "\"MB_per_sec\":%.3f,\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,"
                            + "\"max_us\":%d,\"warmup_calls\":%d,\"warmup_failed\":%d,\"succeeded\":%b,\"error\":%s}",
                    jsonText(address(s)),
                    settings.mode(),
                    settings.requestBytes(),
                    settings.replyBytes(),
                    settings.concurrency(),
                    ok + failed,
                    ok,
                    failed,
                    seconds,
                    callsPerSecond(),
                    megabytesPerSecond(),
                    p50Micros,
                    p90Micros,
                    p99Micros,
                    p999Micros,
                    maxMicros,
                    warmupOk + warmupFailed,
                    warmupFailed,
                    succeeded(),
                    error == null ? "null" : "\"" + jsonText(error) + "\"");
        }

        private static String jsonText(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                else b.append(c);
            }
            return b.toString();
        }
    }

    private final Settings settings;
    private final CallOptions options;
    private final List<RxEndpoint> endpoints;
    private final Consumer<String> progress;
    private final Consumer<String> failures;
    private volatile int phase = WARMUP;
    private final LongAdder progressCalls = new LongAdder();
    private final LongAdder progressFailures = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong callNumbers = new AtomicLong();
    private final AtomicInteger failuresShown = new AtomicInteger();

    private RxperfLoad(
            Settings settings,
            CallOptions options,
            List<RxEndpoint> endpoints,
            Consumer<String> progress,
            Consumer<String> failures) {
        this.settings = settings;
        this.options = Objects.requireNonNull(options, "options").withNewConnection(settings.newConnection());
        this.endpoints = List.copyOf(endpoints);
        this.progress = progress;
        this.failures = failures;
    }

    /**
     * Runs the load, blocking, and closes the endpoints at the end.
     *
     * @param endpoints client endpoints to spread the caller threads over (at least one)
     * @param progress told the warm-up's end and a line each second (may ignore them)
     * @param failures told the first ten failed calls, one line each, then that more are not shown
     */
    public static Result run(
            Settings settings, List<RxEndpoint> endpoints, Consumer<String> progress, Consumer<String> failures)
            throws InterruptedException {
        return run(settings, CallOptions.DEFAULT, endpoints, progress, failures);
    }

    /**
     * {@link #run(Settings, List, Consumer, Consumer)} with the calls' options taken from {@code options}
     * (its security, e.g. an rxkad token and level; {@link Settings#newConnection()} still applies).
     *
     * @since 1.1
     */
    public static Result run(
            Settings settings,
            CallOptions options,
            List<RxEndpoint> endpoints,
            Consumer<String> progress,
            Consumer<String> failures)
            throws InterruptedException {
        if (endpoints.isEmpty()) throw new IllegalArgumentException("no endpoint");
        return new RxperfLoad(settings, options, endpoints, progress, failures).run();
    }

    /** One caller thread with its own client, histogram and counts. */
    private final class Worker implements Runnable {
        final RxperfClient client;
        final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
        long ok;
        long failed;
        long warmupOk;
        long warmupFailed;
        long lastEnd;

        Worker(RxperfClient client) {
            this.client = client;
        }

        @Override
        public void run() {
            while (true) {
                int p = phase;
                if (p == STOP) break;
                boolean recorded = p == MEASURE;
                if (recorded && settings.calls() > 0 && claimed.incrementAndGet() > settings.calls()) break;
                long callNo = callNumbers.incrementAndGet();
                long start = System.nanoTime();
                Throwable failure = null;
                try {
                    client.call(settings.op(), settings.requestBytes(), settings.replyBytes(), settings.verify());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                } catch (RuntimeException e) {
                    failure = e;
                }
                long end = System.nanoTime();
                if (failure != null && phase == STOP) break; // cut off at the end of the run: not counted
                if (failure == null) completed.increment();
                if (recorded) {
                    lastEnd = end;
                    if (failure == null) {
                        ok++;
                        latencies.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (end - start) / 1000)));
                        progressCalls.increment();
                    } else {
                        failed++;
                        progressFailures.increment();
                    }
                } else if (failure == null) {
                    warmupOk++;
                } else {
                    warmupFailed++;
                }
                if (failure != null) report(callNo, failure, recorded);
                if (failure instanceof InterruptedException) break;
            }
        }
    }

    private void report(long callNo, Throwable failure, boolean recorded) {
        int n = failuresShown.incrementAndGet();
        if (n > MAX_FAILURES_SHOWN) {
            if (n == MAX_FAILURES_SHOWN + 1) failures.accept("(further failures not shown)");
            return;
        }
        String why = failure instanceof RxCallAbortedException || failure.getMessage() != null
                ? failure.getMessage()
                : failure.toString();
        failures.accept("call " + callNo + (recorded ? "" : " (warm-up)") + " failed: " + why);
    }

    private Result run() throws InterruptedException {
        int n = settings.concurrency();
        Worker[] workers = new Worker[n];
        Thread[] threads = new Thread[n];
        CountDownLatch done = new CountDownLatch(n);
        try {
            for (int i = 0; i < n; i++) {
                Worker w =
                        new Worker(new RxperfClient(endpoints.get(i % endpoints.size()), settings.server(), options));
                workers[i] = w;
                threads[i] = new Thread(
                        () -> {
                            try {
                                w.run();
                            } finally {
                                done.countDown();
                            }
                        },
                        "rxperf-caller-" + i);
                threads[i].setDaemon(true);
            }
            for (Thread t : threads) t.start();

            long warmupNanos = (long) (settings.warmupSeconds() * 1e9);
            if (warmupNanos > 0 && !done.await(warmupNanos, TimeUnit.NANOSECONDS)) {
                progress.accept(String.format(Locale.ROOT, "warm-up done (%.1f s)", settings.warmupSeconds()));
            }
            long measureStart = System.nanoTime();
            phase = MEASURE;
            long deadline = settings.seconds() > 0 ? measureStart + (long) (settings.seconds() * 1e9) : Long.MAX_VALUE;
            long nextTick = measureStart + 1_000_000_000L;
            long lastCalls = 0;
            int tick = 0;
            while (true) {
                long now = System.nanoTime();
                long wait = Math.min(nextTick, deadline) - now;
                if (wait > 0 && done.await(wait, TimeUnit.NANOSECONDS)) break;
                now = System.nanoTime();
                if (now - nextTick >= 0) {
                    long c = progressCalls.sum();
                    progress.accept(String.format(
                            Locale.ROOT,
                            "[%3ds] calls=%d calls/s=%d failed=%d",
                            ++tick,
                            c,
                            c - lastCalls,
                            progressFailures.sum()));
                    lastCalls = c;
                    nextTick += 1_000_000_000L;
                }
                if (now - deadline >= 0) break;
            }
            long stopAt = System.nanoTime();
            phase = STOP;
            // Calls in progress may finish within the grace period, unless no call ever completed: then the
            // server does not answer, and waiting would only outlast the run.
            if (completed.sum() > 0) done.await(GRACE_NANOS, TimeUnit.NANOSECONDS);
            for (RxEndpoint e : endpoints) e.close(); // ends the calls still in progress (cut off, not counted)
            if (!done.await(GRACE_NANOS, TimeUnit.NANOSECONDS)) {
                for (Thread t : threads) t.interrupt();
                done.await(GRACE_NANOS, TimeUnit.NANOSECONDS);
            }
            long end = measureStart;
            for (Worker w : workers) end = Math.max(end, w.lastEnd);
            if (end == measureStart) end = stopAt;
            return result(workers, (end - measureStart) / 1e9, (stopAt - measureStart) / 1e9);
        } finally {
            for (RxEndpoint e : endpoints) e.close();
            for (Thread t : threads) if (t != null && t.isAlive()) t.interrupt();
        }
    }

    private Result result(Worker[] workers, double seconds, double ranSeconds) {
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        long ok = 0;
        long failed = 0;
        long warmupOk = 0;
        long warmupFailed = 0;
        for (Worker w : workers) {
            all.add(w.latencies);
            ok += w.ok;
            failed += w.failed;
            warmupOk += w.warmupOk;
            warmupFailed += w.warmupFailed;
        }
        String error = null;
        double total = settings.warmupSeconds() + ranSeconds;
        if (ok + warmupOk == 0 && failed + warmupFailed == 0) {
            error = String.format(
                    Locale.ROOT,
                    "no call completed: %s did not answer within %.1f s (is an rxperf server, service %d, listening"
                            + " there?)",
                    address(settings.server()),
                    total,
                    Rxperf.SERVICE_ID);
        } else if (ok + warmupOk == 0) {
            error = "every call failed (" + (failed + warmupFailed) + "): see the failures above";
        }
        return new Result(
                settings,
                ok,
                failed,
                warmupOk,
                warmupFailed,
                seconds,
                percentile(all, 50),
                percentile(all, 90),
                percentile(all, 99),
                percentile(all, 99.9),
                all.getTotalCount() == 0 ? 0 : all.getMaxValue(),
                error);
    }

    private static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    /**
     * A server address: HOST:PORT, [IPV6]:PORT, or HOST alone (port {@value Rxperf#PORT}).
     *
     * @throws IllegalArgumentException if it is malformed or the port is not 1..65535
     * @throws UnknownHostException if the host does not resolve
     */
    public static InetSocketAddress parseServer(String s) throws UnknownHostException {
        String host = s;
        int port = Rxperf.PORT;
        try {
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) throw new IllegalArgumentException("missing ]");
                host = s.substring(1, close);
                if (close + 1 < s.length()) {
                    if (s.charAt(close + 1) != ':') throw new IllegalArgumentException("expected :PORT after ]");
                    port = Integer.parseInt(s.substring(close + 2));
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port is not a number");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** HOST:PORT, with [brackets] around an IPv6 address. */
    static String address(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
