package org.rxrpc.transport.shell;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.rxrpc.api.CallSnapshot;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointSnapshot;
import org.rxrpc.api.PeerSnapshot;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxStats;
import org.rxrpc.api.ServiceSnapshot;
import org.rxrpc.api.ServiceStatus;
import org.rxrpc.security.SecurityClass;
import org.rxrpc.security.SecurityLevels;

/**
 * The operator's commands, scope {@code rx}, as plain Gogo commands (service properties
 * {@code osgi.command.scope} and {@code osgi.command.function}): the Felix Gogo shell runs them, and so
 * does Karaf's shell, which takes every such service as a command. No dependency on either shell. Each
 * returns its report as text; {@code -h} prints its usage.
 */
@Component(
        service = RxCommands.class,
        property = {
            "osgi.command.scope=rx",
            "osgi.command.function=endpoints",
            "osgi.command.function=services",
            "osgi.command.function=calls",
            "osgi.command.function=peers",
            "osgi.command.function=stats",
            "osgi.command.function=ping"
        })
public final class RxCommands {
    static final int MAX_ROWS = 1000;

    @Reference
    private RxEndpoints transport;

    public RxCommands() {}

    /** For tests without DS. */
    RxCommands(RxEndpoints transport) {
        this.transport = transport;
    }

    /** rx:endpoints: every open endpoint, with its socket and what it holds. */
    public String endpoints(String... args) {
        if (help(args)) return "rx:endpoints: every open Rx endpoint (address, socket, services, calls, peers)";
        Table t = new Table("ADDRESS", "SOCKET", "SERVICES", "CALLS", "CONNECTIONS", "PEERS", "FREE BUFFERS");
        for (RxEndpoint e : transport.endpoints()) {
            EndpointSnapshot s = e.snapshot(0);
            List<String> ids = new ArrayList<>();
            for (ServiceSnapshot sv : s.services()) ids.add(Integer.toString(sv.serviceId()));
            t.row(
                    address(s.localAddress()),
                    s.socket(),
                    ids.isEmpty() ? "-" : String.join(",", ids),
                    s.liveCalls(),
                    s.connections(),
                    s.peerCount(),
                    s.freePacketBuffers());
        }
        return t.toString();
    }

    /**
     * rx:services: every service, whiteboard or direct: state, where it listens, backlog fill, live calls,
     * kept new calls, BUSY answers; why a FAILED one fails.
     */
    public String services(String... args) {
        if (help(args)) {
            return "rx:services: every Rx service: state, address, backlog (charged/size), live calls, kept new"
                    + " calls, BUSY sent, and why it is not listening";
        }
        Map<String, ServiceSnapshot> figures = new HashMap<>();
        Map<String, InetSocketAddress> where = new HashMap<>();
        for (RxEndpoint e : transport.endpoints()) {
            EndpointSnapshot s = e.snapshot(0);
            for (ServiceSnapshot sv : s.services()) {
                String key = address(s.localAddress()) + "/" + sv.serviceId();
                figures.put(key, sv);
                where.put(key, s.localAddress());
            }
        }
        Table t = new Table("SERVICE", "NAME", "STATE", "ADDRESS", "BACKLOG", "LIVE", "KEPT", "BUSY SENT", "DETAIL");
        for (ServiceStatus st : transport.services()) {
            String key = st.boundTo() == null ? null : address(st.boundTo()) + "/" + st.serviceId();
            ServiceSnapshot sv = key == null ? null : figures.remove(key);
            t.row(
                    st.serviceId(),
                    st.name(),
                    st.state() + (sv != null && sv.draining() ? " (draining)" : ""),
                    st.boundTo() == null ? "port " + st.port() : address(st.boundTo()),
                    sv == null ? "-" : sv.chargedCalls() + "/" + sv.backlog(),
                    sv == null ? "-" : sv.liveCalls(),
                    sv == null ? "-" : sv.deferredCalls(),
                    sv == null ? "-" : sv.busySent(),
                    st.detail());
        }
        // Services listened on directly through the API, not through the whiteboard.
        for (Map.Entry<String, ServiceSnapshot> e : figures.entrySet()) {
            ServiceSnapshot sv = e.getValue();
            t.row(
                    sv.serviceId(),
                    "(direct, " + (sv.userSocket() ? "user-socket" : "kernel-service") + ")",
                    sv.draining() ? "DRAINING" : "LISTENING",
                    address(where.get(e.getKey())),
                    sv.chargedCalls() + "/" + sv.backlog(),
                    sv.liveCalls(),
                    sv.deferredCalls(),
                    sv.busySent(),
                    "");
        }
        return t.toString();
    }

    /** rx:calls [PORT]: live calls, the longest-running first. */
    public String calls(String... args) {
        if (help(args))
            return "rx:calls [PORT]: live calls (peer, service, side, state, age, bytes, security and caller),"
                    + " oldest first";
        Table t = new Table(
                "ENDPOINT", "PEER", "SERVICE", "SIDE", "STATE", "AGE MS", "SENT", "RECEIVED", "CONNECTION", "SECURITY");
        int total = 0;
        for (RxEndpoint e : selected(args)) {
            EndpointSnapshot s = e.snapshot(MAX_ROWS);
            total += s.liveCalls();
            for (CallSnapshot c : s.calls()) {
                t.row(
                        address(s.localAddress()),
                        c.peer() == null ? "?" : address(c.peer()),
                        c.serviceId(),
                        c.client() ? "client" : "server",
                        c.state(),
                        c.ageMillis(),
                        c.bytesSent(),
                        c.bytesReceived(),
                        String.format(Locale.ROOT, "%08x/%08x #%d", c.epoch(), c.cid(), c.callNumber()),
                        security(c));
            }
        }
        return t.toString() + total + " live call" + (total == 1 ? "" : "s") + "\n";
    }

    /** A call's class, level and caller: {@code null}, {@code rxkad crypt admin@CELL} (never a key or ticket). */
    static String security(CallSnapshot c) {
        if (c.securityIndex() == SecurityClass.NULL_INDEX) return "null";
        String name = c.securityIndex() == SecurityClass.RXKAD_INDEX
                ? "rxkad"
                : c.securityIndex() == SecurityClass.RXGK_INDEX ? "rxgk" : "class " + c.securityIndex();
        String s = name + " " + SecurityLevels.name(c.securityLevel());
        return c.principal() == null ? s : s + " " + c.principal();
    }

    /** rx:peers [PORT]: peers, with RTT, RTO and MTU. */
    public String peers(String... args) {
        if (help(args)) return "rx:peers [PORT]: peers (RTT, RTO, MTU, jumbograms, connections), most recent first";
        Table t = new Table(
                "ENDPOINT",
                "PEER",
                "SRTT US",
                "RTTVAR US",
                "RTO MS",
                "SAMPLES",
                "MAX MTU",
                "JUMBO",
                "CONNECTIONS",
                "IDLE S");
        for (RxEndpoint e : selected(args)) {
            EndpointSnapshot s = e.snapshot(MAX_ROWS);
            for (PeerSnapshot p : s.peers()) {
                t.row(
                        address(s.localAddress()),
                        address(p.address()),
                        p.srttMicros(),
                        p.rttVarMicros(),
                        p.rtoMicros() / 1000,
                        p.rttSamples(),
                        p.maxMtu(),
                        p.jumboMax(),
                        p.connections(),
                        p.idleMillis() / 1000);
            }
        }
        return t.toString();
    }

    /**
     * rx:stats [-i SECONDS] [PORT]: every counter that is not zero; with -i, sampled twice that many
     * seconds apart, with the change and the rate.
     */
    public String stats(String... args) throws InterruptedException {
        if (help(args)) {
            return "rx:stats [-i SECONDS] [PORT]: the counters (not zero) of each endpoint; with -i, the change over"
                    + " that many seconds and the rate";
        }
        double interval = 0;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-i") && i + 1 < args.length) {
                interval = Double.parseDouble(args[++i]);
                if (!(interval > 0 && interval <= 3600)) throw new IllegalArgumentException("-i must be 0..3600 s");
            } else {
                rest.add(args[i]);
            }
        }
        List<RxEndpoint> endpoints = selected(rest.toArray(new String[0]));
        List<RxStats> before = new ArrayList<>();
        for (RxEndpoint e : endpoints) before.add(e.stats());
        if (interval > 0) Thread.sleep((long) (interval * 1000));
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < endpoints.size(); n++) {
            RxEndpoint e = endpoints.get(n);
            RxStats now = interval > 0 ? e.stats() : before.get(n);
            out.append("udp ").append(address(e.localAddress())).append('\n');
            Table t = interval > 0
                    ? new Table("COUNTER", "VALUE", "CHANGE", "PER SECOND")
                    : new Table("COUNTER", "VALUE");
            for (Counter c : Counter.values()) {
                long v = now.get(c);
                long d = v - before.get(n).get(c);
                if (v == 0 && d == 0) continue;
                if (interval > 0) {
                    t.row(c.label(), v, d, String.format(Locale.ROOT, "%.1f", d / interval));
                } else {
                    t.row(c.label(), v);
                }
            }
            if (!now.abortsSent().isEmpty()) t.row("ABORTs sent by code", now.abortsSent());
            if (!now.abortsReceived().isEmpty()) t.row("ABORTs received by code", now.abortsReceived());
            out.append(t);
        }
        return out.toString();
    }

    /** rx:ping [-c COUNT] [-s SERVICE] HOST[:PORT]: VERSION round trips, then ACK pings within a call. */
    public String ping(String... args) throws IOException {
        String usage = "rx:ping [-c COUNT] [-s SERVICE] HOST[:PORT]: VERSION requests, then ACK pings within a call to"
                + " SERVICE (default 147, rxperf; port default 7009)";
        if (help(args)) return usage;
        int count = 3;
        int service = 147;
        String target = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-c") && i + 1 < args.length) count = Integer.parseInt(args[++i]);
            else if (args[i].equals("-s") && i + 1 < args.length) service = Integer.parseInt(args[++i]);
            else target = args[i];
        }
        if (target == null) throw new IllegalArgumentException(usage);
        if (count < 1 || count > 100) throw new IllegalArgumentException("-c must be 1..100");
        if (service < 1 || service > 65535) throw new IllegalArgumentException("-s must be 1..65535");
        return String.join("\n", new RxPing(parse(target), count, service, 1000).run()) + "\n";
    }

    private List<RxEndpoint> selected(String... args) {
        List<RxEndpoint> all = transport.endpoints();
        if (args == null || args.length == 0) return all;
        int port;
        try {
            port = Integer.parseInt(args[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + args[0]);
        }
        List<RxEndpoint> out = new ArrayList<>();
        for (RxEndpoint e : all) if (e.localAddress().getPort() == port) out.add(e);
        if (out.isEmpty()) throw new IllegalArgumentException("no open endpoint on port " + port);
        return out;
    }

    private static boolean help(String... args) {
        return args != null && args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"));
    }

    /** HOST:PORT, [V6]:PORT, or HOST (port 7009). */
    static InetSocketAddress parse(String s) throws UnknownHostException {
        String host = s;
        int port = 7009;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ] in " + s);
            host = s.substring(1, close);
            if (close + 1 < s.length()) port = Integer.parseInt(s.substring(close + 2));
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = Integer.parseInt(s.substring(s.indexOf(':') + 1));
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535: " + s);
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    static String address(InetSocketAddress a) {
        if (a == null) return "-";
        String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }

    /** A text table: columns as wide as their widest cell, two spaces apart. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) r[i] = String.valueOf(cells[i]);
            rows.add(r);
        }

        @Override
        public String toString() {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] r : rows)
                for (int i = 0; i < r.length && i < columns; i++) width[i] = Math.max(width[i], r[i].length());
            StringBuilder b = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(r[i]);
                    if (i < r.length - 1) line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
                b.append(line.toString().stripTrailing()).append('\n');
            }
            return b.toString();
        }
    }
}
