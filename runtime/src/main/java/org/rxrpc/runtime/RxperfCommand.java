package org.rxrpc.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfLoad;
import org.rxrpc.transport.RxTransportImpl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * rxperf load client ({@link RxperfLoad}): N caller threads spread over one or more client endpoints (UDP
 * sockets, bound to the wildcard address by default). Warm-up calls are counted apart. Prints a progress
 * line every second and the failures (to stderr), then a summary and one {@code RESULT} line in the format
 * of the OpenAFS C rxperf_client, or with {@code --json} one JSON object (to stdout). It ends within its
 * time even if the server never answers, then says so. Exit code 0 iff no recorded call failed and at
 * least one succeeded; 2 for a bad option.
 */
@Command(
        name = "rxperf",
        mixinStandardHelpOptions = true,
        description = "rxperf load client (service 147): rpc, send or recv calls with pattern payloads.")
final class RxperfCommand implements Callable<Integer> {
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
            paramLabel = "ADDR",
            description = "Local address of the client endpoints (default: the wildcard address of the server's"
                    + " family, 0.0.0.0 or ::, so that any server can be reached).")
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

    @Option(
            names = "--json",
            description = "Print the summary as one JSON object (stdout) instead of the text summary and RESULT line.")
    boolean json;

    @Option(
            names = "--rxkad-keys",
            paramLabel = "DIR",
            description = "Call with rxkad, a token minted from the newest DES key of this OpenAFS server"
                    + " configuration folder as -localauth does; default: the null class.")
    Path rxkadKeys;

    @Option(
            names = "--level",
            defaultValue = "crypt",
            paramLabel = "LEVEL",
            description = "With --rxkad-keys: clear, auth or crypt (default ${DEFAULT-VALUE}).")
    String level;

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

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
        CallOptions callOptions = CallOptions.DEFAULT;
        if (rxkadKeys != null) {
            try {
                callOptions = callOptions.withSecurity(RxkadSettings.client(rxkadKeys, RxkadSettings.level(level)));
            } catch (IllegalArgumentException | IOException e) {
                return usage("--rxkad-keys/--level: " + e.getMessage());
            }
        }
        int op = mode == Mode.send ? Rxperf.OP_SEND : mode == Mode.recv ? Rxperf.OP_RECV : Rxperf.OP_RPC;
        RxperfLoad.Settings settings;
        EndpointOptions options;
        String local = bind != null ? bind : wildcardFor(target);
        try {
            settings = new RxperfLoad.Settings(
                    target,
                    op,
                    requestBytes,
                    replyBytes,
                    concurrency,
                    calls == null ? 0 : calls,
                    seconds,
                    warmup,
                    newConnection,
                    verify);
            // The endpoints share the default's packet buffers between them (a heap of 512 MiB holds them).
            options = EndpointOptions.builder()
                    .bindAddress(local)
                    .packetBuffers(Math.max(2048, EndpointOptions.defaults().packetBuffers() / sockets))
                    .build();
        } catch (IllegalArgumentException e) {
            return usage((bind != null ? "--bind: " : "") + e.getMessage());
        }

        List<RxEndpoint> endpoints = new ArrayList<>();
        try {
            for (int i = 0; i < sockets; i++) endpoints.add(new RxTransportImpl().open(options));
        } catch (UncheckedIOException e) {
            err.println("rxperf: cannot open a udp endpoint on " + local + ": "
                    + e.getCause().getMessage());
            endpoints.forEach(RxEndpoint::close);
            return 1;
        }
        if (!quiet) {
            err.printf(
                    Locale.ROOT,
                    "rxperf: %s mode=%s req=%d reply=%d concurrency=%d sockets=%d %s warmup=%.1fs%s%s security=%s%n",
                    address(target),
                    mode,
                    op == Rxperf.OP_RECV ? 0 : requestBytes,
                    op == Rxperf.OP_SEND ? 0 : replyBytes,
                    concurrency,
                    sockets,
                    calls != null
                            ? "calls=" + calls + (seconds > 0 ? " (with time limit " + seconds + "s)" : "")
                            : "seconds=" + seconds,
                    warmup,
                    newConnection ? " new-connection-per-call" : "",
                    verify ? " verify" : "",
                    callOptions.security());
        }
        RxperfLoad.Result result = RxperfLoad.run(
                settings,
                callOptions,
                endpoints,
                line -> {
                    if (!quiet) err.println("rxperf: " + line);
                },
                line -> err.println("rxperf: " + line)); // closes the endpoints
        if (json) {
            out.println(result.json());
        } else {
            result.summary().forEach(out::println);
            out.println(result.resultLine());
        }
        out.flush();
        if (result.error() != null) err.println("rxperf: " + result.error());
        return result.succeeded() ? 0 : 1;
    }

    /** The wildcard address of the server's family: reaches any server, whatever route it takes. */
    static String wildcardFor(InetSocketAddress server) {
        return server.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0";
    }

    private int usage(String message) {
        err.println("rxperf: " + message);
        return 2;
    }

    static String address(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** HOST:PORT, [V6]:PORT, HOST (port 7009). */
    static InetSocketAddress parseServer(String s) throws UnknownHostException {
        return RxperfLoad.parseServer(s);
    }
}
