package org.rxrpc.runtime;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfClient;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * rxperf load client: N worker threads, one {@link RxperfClient} each, spread over one or more client
 * endpoints (UDP sockets).
 * Calls made during the warm-up are not recorded. Prints a progress line every second (to stderr), a
 * summary and one {@code RESULT} line in the format of the OpenAFS C rxperf_client (to stdout).
 * Exit code 0 iff no recorded call failed and at least one succeeded.
 */
@Command(
        name = "rxperf",
        mixinStandardHelpOptions = true,
        description = "rxperf load client (service 147): rpc, send or recv calls with pattern payloads.")
final class RxperfCommand implements Callable<Integer> {
    private static final int MAX_ERRORS_SHOWN = 10;
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    enum Mode {
        rpc,
        send,
        recv
    }

    @Option(
            names = "--server",
            defaultValue = "127.0.0.1:7009",
            paramLabel = "HOST:PORT",
            description = "Server (default ${DEFAULT-VALUE}).")
    String server;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Local address of the client endpoint (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--mode",
            defaultValue = "rpc",
            description = "rpc (send request, receive reply), send or recv (default ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(
            names = "--request-bytes",
            defaultValue = "4",
            converter = ByteSizeConverter.class,
            paramLabel = "BYTES",
            description = "Request payload (rpc, send); suffixes K, M, G (default ${DEFAULT-VALUE}).")
    long requestBytes;

    @Option(
            names = "--reply-bytes",
            defaultValue = "4",
            converter = ByteSizeConverter.class,
            paramLabel = "BYTES",
            description = "Reply payload (rpc, recv); suffixes K, M, G (default ${DEFAULT-VALUE}).")
    long replyBytes;

    @Option(
            names = "--concurrency",
            defaultValue = "1",
            paramLabel = "N",
            description = "Caller threads (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--calls",
            paramLabel = "N",
            description =
                    "Recorded calls in all, shared by the threads (with --duration as well: whichever comes first).")
    Long calls;

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "Recording time (default 5 unless --calls is given).")
    Double duration;

    @Option(
            names = "--warmup",
            defaultValue = "1",
            paramLabel = "SECONDS",
            description = "Unrecorded calls first, for this long (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(
            names = "--sockets",
            defaultValue = "1",
            paramLabel = "N",
            description = "Client endpoints (UDP sockets) the caller threads are spread over, as many clients"
                    + " would be (default ${DEFAULT-VALUE}).")
    int sockets;

    @Option(names = "--new-connection", description = "A new connection for every call.")
    boolean newConnection;

    @Option(names = "--verify", description = "Check every reply payload byte.")
    boolean verify;

    @Option(names = "--quiet", description = "No per-second progress lines.")
    boolean quiet;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private volatile int phase = WARMUP;
    private final LongAdder progressCalls = new LongAdder();
    private final LongAdder progressFailures = new LongAdder();
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong callNumbers = new AtomicLong();
    private final AtomicInteger errorsShown = new AtomicInteger();

    /** One caller thread with its own client, histogram and counts. */
    private final class Worker implements Runnable {
        final RxperfClient client;
        final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
        final int op;
        long ok;
        long failed;
        long lastEnd;

        Worker(RxperfClient client, int op) {
            this.client = client;
            this.op = op;
        }

        @Override
        public void run() {
            while (true) {
                int p = phase;
                if (p == STOP) break;
                boolean recorded = p == MEASURE;
                if (recorded && calls != null && claimed.incrementAndGet() > calls) break;
                long callNo = callNumbers.incrementAndGet();
                long start = System.nanoTime();
                Throwable failure = null;
                try {
                    client.call(op, requestBytes, replyBytes, verify);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                } catch (RuntimeException e) {
                    failure = e;
                }
                long end = System.nanoTime();
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
                }
                if (failure != null) report(callNo, failure, recorded);
                if (failure instanceof InterruptedException) break;
            }
        }
    }

    private void report(long callNo, Throwable failure, boolean recorded) {
        if (errorsShown.incrementAndGet() > MAX_ERRORS_SHOWN) {
            if (errorsShown.get() == MAX_ERRORS_SHOWN + 1) err.println("rxperf: (further failures not shown)");
            return;
        }
        int code = failure instanceof RxCallAbortedException ? ((RxCallAbortedException) failure).abortCode() : 0;
        err.printf(
                "rxperf: call %d%s failed: %s, code %d%n",
                callNo, recorded ? "" : " (warm-up)", failure.toString(), code);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (concurrency < 1) return usage("--concurrency must be at least 1");
        if (sockets < 1 || sockets > concurrency) return usage("--sockets must be 1..concurrency");
        if (calls != null && calls < 1) return usage("--calls must be at least 1");
        if (duration != null && duration <= 0) return usage("--duration must be positive");
        if (warmup < 0) return usage("--warmup must not be negative");
        double seconds = duration != null ? duration : calls == null ? 5 : 0;
        InetSocketAddress target;
        try {
            target = parseServer(server);
        } catch (IllegalArgumentException | UnknownHostException e) {
            return usage("bad --server '" + server + "': " + e.getMessage());
        }
        int op = mode == Mode.send ? Rxperf.OP_SEND : mode == Mode.recv ? Rxperf.OP_RECV : Rxperf.OP_RPC;
        long out1 = op == Rxperf.OP_RECV ? 0 : requestBytes;
        long back = op == Rxperf.OP_SEND ? 0 : replyBytes;

        RxEndpoint[] endpoints = new RxEndpoint[sockets];
        try {
            // The endpoints share the default's packet buffers between them (a heap of 512 MiB holds them).
            EndpointOptions options = EndpointOptions.builder()
                    .bindAddress(bind)
                    .packetBuffers(Math.max(2048, EndpointOptions.defaults().packetBuffers() / sockets))
                    .build();
            for (int i = 0; i < sockets; i++) endpoints[i] = new RxTransportImpl().open(options);
        } catch (UncheckedIOException e) {
            err.println("rxperf: cannot open a udp endpoint on " + bind + ": "
                    + e.getCause().getMessage());
            closeAll(endpoints);
            return 1;
        }
        try {
            if (!quiet) {
                err.printf(
                        Locale.ROOT,
                        "rxperf: %s:%d mode=%s req=%d reply=%d concurrency=%d sockets=%d %s warmup=%.1fs%s%s%n",
                        target.getAddress().getHostAddress(),
                        target.getPort(),
                        mode,
                        out1,
                        back,
                        concurrency,
                        sockets,
                        calls != null
                                ? "calls=" + calls + (seconds > 0 ? " (with time limit " + seconds + "s)" : "")
                                : "seconds=" + seconds,
                        warmup,
                        newConnection ? " new-connection-per-call" : "",
                        verify ? " verify" : "");
            }
            CallOptions callOptions = CallOptions.DEFAULT.withNewConnection(newConnection);
            Worker[] workers = new Worker[concurrency];
            Thread[] threads = new Thread[concurrency];
            CountDownLatch done = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                Worker w = new Worker(new RxperfClient(endpoints[i % sockets], target, callOptions), op);
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

            if (warmup > 0 && !done.await((long) (warmup * 1e9), TimeUnit.NANOSECONDS) && !quiet) {
                err.printf(Locale.ROOT, "rxperf: warm-up done (%.1f s)%n", warmup);
            }
            long measureStart = System.nanoTime();
            phase = MEASURE;
            long deadline = seconds > 0 ? measureStart + (long) (seconds * 1e9) : Long.MAX_VALUE;
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
                    if (!quiet) {
                        err.printf(
                                Locale.ROOT,
                                "rxperf: [%3ds] calls=%d calls/s=%d failed=%d%n",
                                ++tick,
                                c,
                                c - lastCalls,
                                progressFailures.sum());
                    }
                    lastCalls = c;
                    nextTick += 1_000_000_000L;
                }
                if (now - deadline >= 0) break;
            }
            phase = STOP;
            done.await();
            long end = measureStart;
            for (Worker w : workers) end = Math.max(end, w.lastEnd);
            if (end == measureStart) end = System.nanoTime();
            return summarize(workers, (end - measureStart) / 1e9, out1 + back);
        } finally {
            closeAll(endpoints);
        }
    }

    private static void closeAll(RxEndpoint[] endpoints) {
        for (RxEndpoint e : endpoints) {
            if (e != null) e.close();
        }
    }

    private int summarize(Worker[] workers, double seconds, long bytesPerCall) {
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        long ok = 0;
        long failed = 0;
        for (Worker w : workers) {
            all.add(w.latencies);
            ok += w.ok;
            failed += w.failed;
        }
        double secs = seconds > 0 ? seconds : 1e-9;
        double callsPerSec = ok / secs;
        double mbPerSec = (double) ok * bytesPerCall / 1e6 / secs;
        long p50 = percentile(all, 50);
        long p90 = percentile(all, 90);
        long p99 = percentile(all, 99);
        long p999 = percentile(all, 99.9);
        long max = all.getTotalCount() == 0 ? 0 : all.getMaxValue();
        out.printf(Locale.ROOT, "calls      %d (ok %d, failed %d) in %.3f s%n", ok + failed, ok, failed, secs);
        out.printf(Locale.ROOT, "calls/s    %.1f%n", callsPerSec);
        out.printf(Locale.ROOT, "MB/s       %.3f (payload, 1 MB = 1e6 B)%n", mbPerSec);
        out.printf(Locale.ROOT, "latency us p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n", p50, p90, p99, p999, max);
        out.printf(
                Locale.ROOT,
                "RESULT calls=%d ok=%d failed=%d seconds=%.3f calls_per_sec=%.1f MB_per_sec=%.3f "
                        + "p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d%n",
                ok + failed,
                ok,
                failed,
                secs,
                callsPerSec,
                mbPerSec,
                p50,
                p90,
                p99,
                p999,
                max);
        out.flush();
        return failed == 0 && ok > 0 ? 0 : 1;
    }

    private static long percentile(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    private int usage(String message) {
        err.println("rxperf: " + message);
        return 2;
    }

    /** HOST:PORT, [V6]:PORT, HOST (port 7009). */
    static InetSocketAddress parseServer(String s) throws UnknownHostException {
        String host = s;
        int port = Rxperf.PORT;
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
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
