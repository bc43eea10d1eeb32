package org.rxrpc.runtime.felix;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Prints which Rx services listen where, as the transport itself reports it
 * ({@code RxEndpoints.services()}: listening on the address really bound, waiting for a notifier, or
 * failed and why), and every change after that. Read by reflection through the transport bundle's
 * classes: see {@link Services} for why.
 */
final class RxServiceReporter {
    static final String ENDPOINTS = "org.rxrpc.api.RxEndpoints";
    static final String HANDLER = "org.rxrpc.service.RxCallHandler";
    private static final long POLL_MILLIS = 100;

    /** One service as the transport reports it. */
    record Status(int serviceId, int port, String name, String state, InetSocketAddress boundTo, String detail) {
        String key() {
            return port + "/" + serviceId;
        }

        String describe() {
            String who = "service " + serviceId + " (" + name + ")";
            switch (state) {
                case "LISTENING":
                    return who + " listening on udp " + address(boundTo);
                case "FAILED":
                    return who + " is not listening on port " + port + ": " + detail;
                default:
                    return who + " is waiting: " + detail;
            }
        }
    }

    private final BundleContext context;
    private final PrintStream out;
    private final String prefix;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rxrpc-runtime-reporter");
        t.setDaemon(true);
        return t;
    });
    /** Guarded by this: what was printed last, by key. */
    private final Map<String, Status> shown = new HashMap<>();
    /** Guarded by this: whether the last look found nothing still on its way. */
    private boolean idle;

    RxServiceReporter(BundleContext context, PrintStream out, String prefix) {
        this.context = context;
        this.out = out;
        this.prefix = prefix;
    }

    void open() {
        executor.scheduleWithFixedDelay(this::look, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    void close() {
        executor.shutdownNow();
    }

    /** The framework has stopped, and every service with it: says so for those still shown, then closes. */
    void frameworkStopped() {
        close();
        synchronized (this) {
            for (Status s : shown.values()) {
                if (s.state().equals("LISTENING")) {
                    print("service " + s.serviceId() + " (" + s.name() + ") stopped listening on udp "
                            + address(s.boundTo()));
                }
            }
            shown.clear();
        }
    }

    /** True when no service is on its way: none waiting, and every handler service has a state. */
    synchronized boolean idle() {
        return idle;
    }

    synchronized int listeningCount() {
        int n = 0;
        for (Status s : shown.values()) if (s.state().equals("LISTENING")) n++;
        return n;
    }

    /** On the reporter thread: prints what changed since the last look. */
    private void look() {
        List<Status> now = statuses();
        if (now == null) {
            synchronized (this) {
                idle = handlerKeys().isEmpty();
            }
            return;
        }
        Map<String, Status> byKey = new HashMap<>();
        for (Status s : now) byKey.put(s.key(), s);
        boolean waiting = false;
        for (Status s : now) waiting |= s.state().equals("WAITING");
        List<String> unseen = handlerKeys();
        unseen.removeAll(byKey.keySet());
        synchronized (this) {
            for (Map.Entry<String, Status> e : new ArrayList<>(shown.entrySet())) {
                Status before = e.getValue();
                Status after = byKey.get(e.getKey());
                if (after == null || !after.state().equals(before.state())) {
                    if (before.state().equals("LISTENING")) {
                        print("service " + before.serviceId() + " (" + before.name() + ") stopped listening on udp "
                                + address(before.boundTo()));
                    }
                    shown.remove(e.getKey());
                }
            }
            for (Status s : now) {
                if (s.state().equals("WAITING")) continue; // on its way: said when it arrives
                Status before = shown.get(s.key());
                if (before == null || !before.equals(s)) {
                    shown.put(s.key(), s);
                    print(s.describe());
                }
            }
            idle = !waiting && unseen.isEmpty();
        }
    }

    /** The transport's statuses, or null when there is no transport (yet, or while it restarts). */
    private List<Status> statuses() {
        ServiceReference<?> ref;
        Object endpoints;
        try {
            ref = Services.first(context, ENDPOINTS);
            if (ref == null) return null;
            endpoints = context.getService(ref);
        } catch (IllegalStateException e) { // the framework is stopping
            return null;
        }
        if (endpoints == null) return null;
        try {
            Bundle transport = ref.getBundle();
            if (transport == null) return null;
            Object list = transport.loadClass(ENDPOINTS).getMethod("services").invoke(endpoints);
            List<Status> out = new ArrayList<>();
            for (Object s : (List<?>) list) out.add(read(s));
            return out;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        } finally {
            try {
                context.ungetService(ref);
            } catch (IllegalStateException e) {
                // the framework is stopping
            }
        }
    }

    private static Status read(Object s) throws ReflectiveOperationException {
        Class<?> c = s.getClass();
        return new Status(
                (Integer) get(c, s, "serviceId"),
                (Integer) get(c, s, "port"),
                String.valueOf(get(c, s, "name")),
                String.valueOf(get(c, s, "state")),
                (InetSocketAddress) get(c, s, "boundTo"),
                String.valueOf(get(c, s, "detail")));
    }

    private static Object get(Class<?> c, Object o, String accessor) throws ReflectiveOperationException {
        Method m = c.getMethod(accessor);
        return m.invoke(o);
    }

    /** "port/serviceId" of every handler service whose properties read as numbers. */
    private List<String> handlerKeys() {
        List<String> keys = new ArrayList<>();
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(HANDLER, null);
            if (refs == null) return keys;
            for (ServiceReference<?> r : refs) {
                Integer id = number(r.getProperty("rxrpc.service.id"));
                Integer port = number(r.getProperty("rxrpc.port"));
                if (id != null && port != null) keys.add(port + "/" + id);
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // none, or the framework is stopping
        }
        return keys;
    }

    private static Integer number(Object v) {
        if (v instanceof Number) return ((Number) v).intValue();
        try {
            return v == null ? null : Integer.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String address(InetSocketAddress a) {
        if (a == null) return "?";
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void print(String line) {
        out.println(prefix + line);
        out.flush();
    }
}
