package org.rxrpc.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxStats;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Opens one endpoint and serves rxperf (service 147) on it until SIGTERM / Ctrl-C, printing a STATS
 * line every {@code --stats-interval} seconds and once at shutdown.
 *
 * <p>The I/O thread's bytes allocated per incoming call are measured over a window: it opens with the
 * first stats snapshot taken after {@code --warmup-calls} calls were served (so JIT compilation and
 * class loading are left out) and closes at the snapshot being printed. A snapshot itself allocates a
 * few hundred bytes on the I/O thread; they fall into the window too.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve rxperf (service 147) on one UDP endpoint until SIGTERM / Ctrl-C (the default command).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Local address (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--port",
            defaultValue = "7009",
            description = "UDP port, 0 = ephemeral (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--backlog",
            defaultValue = "32",
            description = "Calls preallocated at most, 1..32 (default ${DEFAULT-VALUE}).")
    int backlog;

    @Option(
            names = "--max-calls",
            defaultValue = "128",
            description =
                    "Calls served at once, one handler thread each; beyond that clients get BUSY (default ${DEFAULT-VALUE}).")
    int maxCalls;

    @Option(
            names = "--io-threads",
            defaultValue = "1",
            paramLabel = "N",
            description = "Sockets on the port (SO_REUSEPORT), one I/O thread each; a client connection always"
                    + " meets the same one; 1..64 (default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--verify", description = "Check every request payload byte (abort 1000 on a mismatch).")
    boolean verify;

    @Option(
            names = "--no-event-loop",
            description = "Serve every call on a handler thread (by default small calls are answered on the"
                    + " I/O thread, without a thread hand-off).")
    boolean noEventLoop;

    @Option(
            names = "--stats-interval",
            defaultValue = "0",
            paramLabel = "SECONDS",
            description = "Print a STATS line this often; 0 = only at shutdown (default ${DEFAULT-VALUE}).")
    double statsInterval;

    @Option(
            names = "--warmup-calls",
            defaultValue = "20000",
            paramLabel = "N",
            description = "The allocation window opens at the first stats snapshot after N calls were served"
                    + " (default ${DEFAULT-VALUE}).")
    long warmupCalls;

    @Option(
            names = "--rxkad-keys",
            paramLabel = "DIR",
            description = "Serve rxkad only (security index 2) with the keys of this OpenAFS server"
                    + " configuration folder (KeyFile, KeyFileExt, rxkad.keytab); default: the null class only.")
    Path rxkadKeys;

    @Option(
            names = "--min-level",
            defaultValue = "clear",
            paramLabel = "LEVEL",
            description =
                    "With --rxkad-keys: the lowest level served, clear, auth or crypt (default ${DEFAULT-VALUE}).")
    String minLevel;

    private final PrintStream out = System.out;
    private final Object printLock = new Object();
    private RxEndpoint endpoint;
    private ServiceHost server;
    private long startNanos;
    /** The snapshot that opens the allocation window; null until the warm-up calls are done. */
    private volatile RxStats windowStart;

    private volatile boolean stopping;

    @Override
    public Integer call() throws InterruptedException {
        if (backlog < 1 || backlog > 32) return usage("--backlog must be 1..32");
        if (maxCalls < 1) return usage("--max-calls must be at least 1");
        if (ioThreads < 1 || ioThreads > EndpointOptions.MAX_IO_THREADS) {
            return usage("--io-threads must be 1.." + EndpointOptions.MAX_IO_THREADS);
        }
        if (statsInterval < 0) return usage("--stats-interval must not be negative");
        if (warmupCalls < 0) return usage("--warmup-calls must not be negative");

        ServiceSecurity security = ServiceSecurity.NULL_ONLY;
        if (rxkadKeys != null) {
            try {
                security = RxkadSettings.server(rxkadKeys, RxkadSettings.level(minLevel));
            } catch (IllegalArgumentException | IOException e) {
                return usage("--rxkad-keys/--min-level: " + e.getMessage());
            }
        }

        startNanos = System.nanoTime();
        try {
            endpoint = new RxTransportImpl()
                    .open(EndpointOptions.defaults().withBind(bind, port).withIoThreads(ioThreads));
        } catch (IllegalStateException e) {
            System.err.println("serve: " + e.getMessage());
            return 1;
        } catch (UncheckedIOException e) {
            System.err.println("serve: cannot open udp " + bind + ":" + port + ": "
                    + e.getCause().getMessage());
            return 1;
        }
        try {
            server = ServiceHost.serve(
                    endpoint,
                    Rxperf.SERVICE_ID,
                    backlog,
                    security,
                    maxCalls,
                    "rxperf-worker",
                    new RxperfHandler(verify),
                    !noEventLoop);
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        CountDownLatch closed = new CountDownLatch(1);
        Thread monitor = new Thread(this::monitor, "rxperf-stats");
        monitor.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(monitor, closed), "rxperf-shutdown"));

        InetSocketAddress local = endpoint.localAddress();
        out.printf(
                "rxperf (service %d) listening on udp %s:%d (%s)%n",
                Rxperf.SERVICE_ID, local.getAddress().getHostAddress(), local.getPort(), security);
        out.flush();
        monitor.start();
        closed.await(); // the shutdown hook closes everything; the JVM exits when the hook returns
        return 0;
    }

    private static int usage(String message) {
        System.err.println("serve: " + message);
        return 2;
    }

    /** Opens the allocation window after the warm-up calls and prints STATS every interval. */
    private void monitor() {
        long intervalNanos = (long) (statsInterval * 1e9);
        long nextPrint = System.nanoTime() + intervalNanos;
        while (!stopping) {
            // callsServed() is a plain counter: polling it allocates nothing on the I/O thread.
            if (windowStart == null && server.callsServed() >= warmupCalls) {
                synchronized (printLock) {
                    if (!stopping) windowStart = endpoint.stats();
                }
            }
            long now = System.nanoTime();
            if (intervalNanos > 0 && now - nextPrint >= 0) {
                synchronized (printLock) {
                    if (!stopping) printStats(endpoint.stats());
                }
                nextPrint += intervalNanos;
                if (now - nextPrint >= 0) nextPrint = now + intervalNanos;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private void shutdown(Thread monitor, CountDownLatch closed) {
        try {
            synchronized (printLock) {
                stopping = true;
                printStats(endpoint.stats()); // before closing: closing aborts and discards calls
            }
            monitor.interrupt();
            server.close();
            endpoint.close();
            out.println("rxperf: closed after " + server.callsServed() + " calls");
            out.flush();
        } finally {
            closed.countDown();
        }
    }

    private void printStats(RxStats now) {
        out.println(statsLine(now, windowStart, server.callsServed(), (System.nanoTime() - startNanos) / 1e9)
                + " calls_served_on_io_thread=" + server.callsServedInline());
        out.flush();
    }

    /** One STATS line: key=value pairs separated by single spaces. */
    static String statsLine(RxStats now, RxStats windowStart, long callsServed, double uptimeSeconds) {
        long allocated = now.get(Counter.IO_THREAD_ALLOCATED_BYTES);
        long windowCalls = 0;
        long windowBytes = 0;
        String perCall = "n/a";
        if (windowStart != null && allocated >= 0) {
            windowCalls = now.get(Counter.CALLS_MADE_LIVE) - windowStart.get(Counter.CALLS_MADE_LIVE);
            windowBytes = allocated - windowStart.get(Counter.IO_THREAD_ALLOCATED_BYTES);
            if (windowCalls > 0) perCall = String.format(Locale.ROOT, "%.1f", (double) windowBytes / windowCalls);
        }
        StringBuilder sb = new StringBuilder("STATS");
        kv(sb, "calls_made_live", now.get(Counter.CALLS_MADE_LIVE));
        kv(sb, "busy_sent", now.get(Counter.BUSY_SENT));
        kv(sb, "drops", now.drops());
        kv(sb, "io_thread_allocated_bytes", allocated);
        kv(sb, "io_bytes_per_incoming_call", perCall);
        kv(sb, "alloc_window_calls", windowCalls);
        kv(sb, "alloc_window_bytes", windowBytes);
        kv(sb, "calls_served", callsServed);
        kv(sb, "calls_aborted_locally", now.get(Counter.CALLS_ABORTED_LOCALLY));
        kv(sb, "calls_aborted_remotely", now.get(Counter.CALLS_ABORTED_REMOTELY));
        kv(sb, "calls_discarded", now.get(Counter.CALLS_DISCARDED));
        kv(sb, "connections_created", now.get(Counter.CONNECTIONS_CREATED));
        kv(sb, "datagrams_received", now.get(Counter.DATAGRAMS_RECEIVED));
        kv(sb, "datagrams_sent", now.get(Counter.DATAGRAMS_SENT));
        kv(sb, "send_failures", now.get(Counter.SEND_FAILURES));
        kv(sb, "data_packets_retransmitted", now.get(Counter.DATA_PACKETS_RETRANSMITTED));
        kv(sb, "drop_no_buffer", now.get(Counter.DROP_NO_BUFFER));
        kv(sb, "aborts_sent", codes(now.abortsSent()));
        kv(sb, "uptime_s", String.format(Locale.ROOT, "%.1f", uptimeSeconds));
        return sb.toString();
    }

    private static void kv(StringBuilder sb, String key, Object value) {
        sb.append(' ').append(key).append('=').append(value);
    }

    /** "code:count,code:count" or "none". */
    private static String codes(Map<Integer, Long> counts) {
        if (counts.isEmpty()) return "none";
        StringBuilder sb = new StringBuilder();
        counts.forEach((code, n) ->
                sb.append(sb.length() == 0 ? "" : ",").append(code).append(':').append(n));
        return sb.toString();
    }
}
