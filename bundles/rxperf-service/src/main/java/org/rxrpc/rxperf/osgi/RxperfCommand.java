package org.rxrpc.rxperf.osgi;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxTransport;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfLoad;

/**
 * {@code rx:rxperf}: an rxperf load run from the shell (Felix Gogo or Karaf), on a client endpoint of the
 * transport service bound to the wildcard address. Options as the runtime's {@code rxperf} command.
 */
@Component(
        service = RxperfCommand.class,
        property = {"osgi.command.scope=rx", "osgi.command.function=rxperf"})
public final class RxperfCommand {
    static final String USAGE = "rx:rxperf [--server HOST:PORT] [--mode rpc|send|recv] [--request-bytes N]"
            + " [--reply-bytes N] [--concurrency N] [--duration SECONDS] [--calls N] [--warmup SECONDS]"
            + " [--new-connection] [--verify] [--json]: an rxperf load run (default 127.0.0.1:7009, rpc 4/4 bytes,"
            + " 1 caller, 5 s, 1 s warm-up)";

    @Reference
    private RxTransport transport;

    public String rxperf(String... args) throws Exception {
        String server = "127.0.0.1:7009";
        int op = Rxperf.OP_RPC;
        long request = 4;
        long reply = 4;
        int concurrency = 1;
        double seconds = -1;
        long calls = 0;
        double warmup = 1;
        boolean newConnection = false;
        boolean verify = false;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return USAGE;
                }
                case "--new-connection" -> newConnection = true;
                case "--verify" -> verify = true;
                case "--json" -> json = true;
                default -> {
                    if (i + 1 >= args.length)
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    String v = args[++i];
                    switch (a) {
                        case "--server" -> server = v;
                        case "--mode" ->
                            op = switch (v) {
                                case "rpc" -> Rxperf.OP_RPC;
                                case "send" -> Rxperf.OP_SEND;
                                case "recv" -> Rxperf.OP_RECV;
                                default -> throw new IllegalArgumentException("--mode must be rpc, send or recv: " + v);
                            };
                        case "--request-bytes" -> request = Long.parseLong(v);
                        case "--reply-bytes" -> reply = Long.parseLong(v);
                        case "--concurrency" -> concurrency = Integer.parseInt(v);
                        case "--duration" -> seconds = Double.parseDouble(v);
                        case "--calls" -> calls = Long.parseLong(v);
                        case "--warmup" -> warmup = Double.parseDouble(v);
                        default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
                    }
                }
            }
        }
        if (seconds < 0) seconds = calls > 0 ? 0 : 5;
        InetSocketAddress target = RxperfLoad.parseServer(server);
        RxperfLoad.Settings settings = new RxperfLoad.Settings(
                target, op, request, reply, concurrency, calls, seconds, warmup, newConnection, verify);
        String wildcard = target.getAddress() instanceof java.net.Inet6Address ? "::" : "0.0.0.0";
        RxEndpoint endpoint = transport.open(EndpointOptions.defaults().withBind(wildcard, 0));
        List<String> failures = new CopyOnWriteArrayList<>();
        RxperfLoad.Result r = RxperfLoad.run(settings, List.of(endpoint), line -> {}, failures::add);
        if (json) return r.json();
        List<String> out = new ArrayList<>(failures);
        out.addAll(r.summary());
        out.add(r.resultLine());
        return String.join("\n", out) + "\n";
    }
}
