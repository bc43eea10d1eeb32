package org.rxrpc.runtime.felix;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;

/**
 * Prints which Rx services listen where. A service bundle registers its new-call notifier on the
 * whiteboard (properties {@code rxrpc.service.id}, {@code rxrpc.port}) and then listens; if listening
 * fails it unregisters the notifier. So a notifier is reported once its bundle has no component left
 * being activated and the notifier is still registered; the address is the transport's bind address. When a notifier goes away (bundle stopped, reconfigured, framework
 * stopping), that is printed too.
 * An all-service listener: see {@link Services} for why.
 */
final class RxServiceReporter implements AllServiceListener {
    static final String NEW_CALL_NOTIFIER = "org.rxrpc.api.NewCallNotifier";
    static final String ENDPOINTS = "org.rxrpc.api.RxEndpoints";
    static final String SERVICE_ID = "rxrpc.service.id";
    static final String PORT = "rxrpc.port";
    /** Names of well-known Rx services; others are named after the bundle that serves them. */
    private static final Map<Integer, String> NAMES = Map.of(147, "rxperf", 1, "cache manager (RXAFSCB)");

    private static final long POLL_MILLIS = 20;
    /** A notifier whose bundle has not settled by then is reported anyway. */
    private static final long SETTLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final BundleContext context;
    private final PrintStream out;
    private final String prefix;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rxrpc-runtime-reporter");
        t.setDaemon(true);
        return t;
    });
    /** Guarded by this: notifiers registered, not yet reported. */
    private final Set<ServiceReference<?>> pending = new HashSet<>();
    /** Guarded by this: notifiers reported as listening, with what was printed. */
    private final Map<ServiceReference<?>, String> listening = new HashMap<>();

    RxServiceReporter(BundleContext context, PrintStream out, String prefix) {
        this.context = context;
        this.out = out;
        this.prefix = prefix;
    }

    void open() {
        try {
            context.addServiceListener(this, "(objectClass=" + NEW_CALL_NOTIFIER + ")");
            ServiceReference<?>[] existing = context.getAllServiceReferences(NEW_CALL_NOTIFIER, null);
            if (existing != null) for (ServiceReference<?> ref : existing) registered(ref);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the framework is gone already
        }
        executor.shutdownNow();
    }

    /** True when every registered notifier has been reported (or is gone). */
    synchronized boolean idle() {
        return pending.isEmpty();
    }

    synchronized int listeningCount() {
        return listening.size();
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        ServiceReference<?> ref = event.getServiceReference();
        switch (event.getType()) {
            case ServiceEvent.REGISTERED -> registered(ref);
            case ServiceEvent.MODIFIED -> {
                gone(ref);
                registered(ref);
            }
            default -> gone(ref); // UNREGISTERING, MODIFIED_ENDMATCH
        }
    }

    private void registered(ServiceReference<?> ref) {
        synchronized (this) {
            pending.add(ref);
        }
        long since = System.nanoTime();
        schedule(() -> check(ref, since), 0);
    }

    private void gone(ServiceReference<?> ref) {
        synchronized (this) {
            pending.remove(ref);
            String where = listening.remove(ref);
            if (where != null) print(where.replace(" listening on ", " stopped listening on "));
        }
    }

    private void schedule(Runnable r, long delayMillis) {
        try {
            executor.schedule(r, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** On the reporter thread: reports the notifier once its bundle has settled. */
    private void check(ServiceReference<?> ref, long since) {
        Bundle bundle = ref.getBundle();
        synchronized (this) {
            if (!pending.contains(ref)) return;
            if (bundle == null) { // unregistered meanwhile
                pending.remove(ref);
                return;
            }
        }
        boolean late = System.nanoTime() - since >= SETTLE_LIMIT_NANOS;
        String line = null;
        if (ComponentStates.settled(context, bundle) || late) line = describe(ref, bundle); // outside the lock
        if (line == null && !late) {
            schedule(() -> check(ref, since), POLL_MILLIS);
            return;
        }
        if (line == null) line = describeWithoutTransport(ref, bundle);
        synchronized (this) {
            // still pending means not unregistered meanwhile (an unregistering notifier is dropped from it)
            if (!pending.remove(ref)) return;
            listening.put(ref, line);
            print(line);
        }
    }

    private static String describeWithoutTransport(ServiceReference<?> ref, Bundle bundle) {
        int serviceId = intProperty(ref, SERVICE_ID);
        return "service " + serviceId + " (" + NAMES.getOrDefault(serviceId, bundle.getSymbolicName())
                + ") listening on udp port " + intProperty(ref, PORT) + " (no transport service seen)";
    }

    /** The line to print, or null while the transport service is missing (being reconfigured). */
    private String describe(ServiceReference<?> ref, Bundle bundle) {
        int serviceId = intProperty(ref, SERVICE_ID);
        int port = intProperty(ref, PORT);
        String bind = bindAddress();
        if (bind == null) return null;
        String host = bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind;
        String name = NAMES.getOrDefault(serviceId, bundle.getSymbolicName());
        return "service " + serviceId + " (" + name + ") listening on udp " + host + ":" + port
                + (port == 0 ? " (an ephemeral port)" : "");
    }

    private static int intProperty(ServiceReference<?> ref, String key) {
        Object v = ref.getProperty(key);
        return v instanceof Number ? ((Number) v).intValue() : -1;
    }

    /**
     * The transport's bind address ({@code RxEndpoints.bindAddress()}), read through the API the transport
     * bundle loaded; null if there is no transport. (Not {@code endpoint(port)}: it would open one.)
     */
    private String bindAddress() {
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
            return String.valueOf(
                    transport.loadClass(ENDPOINTS).getMethod("bindAddress").invoke(endpoints));
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

    private void print(String line) {
        out.println(prefix + line);
        out.flush();
    }
}
