package org.rxrpc.transport.osgi;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxService;
import org.rxrpc.api.ServiceStatus;
import org.rxrpc.api.ServiceStatus.State;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.ServerSecurity;
import org.rxrpc.security.ServiceSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's whiteboard of services: pairs of notifier services keyed by (port, service id). When
 * a pair is complete the service is listened on and handed to its new-call notifier; when either goes,
 * the service is closed (it drains) and the notifier told. Whatever stops a listen is kept as the
 * service's state, for operators, and logged once (WARN). A FAILED service is tried again every
 * {@link #RETRY_MILLIS} ms while the transport is active, so that it listens as soon as its port is
 * free; it is also tried again when the transport restarts (a new configuration).
 *
 * <p>A listening service follows the ServerSecurity services it names: when one goes, its new connections
 * under that index are refused (as an unknown class); when one comes (again, e.g. the rxkad bundle's
 * configuration changed), new connections use it ({@link RxService#changeSecurity}); connections already made
 * keep theirs.
 */
final class ServiceWhiteboard {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceWhiteboard.class);
    static final long RETRY_MILLIS = 2000;

    /** Opens and closes the shared endpoints of ports for the whiteboard. */
    interface Ports {
        /** The shared endpoint of a port, opened if need be. */
        RxEndpoint openShared(int port);

        /** The whiteboard no longer uses this port. */
        void released(int port);

        int defaultBacklog();
    }

    /** One service id on one port. Guarded by the whiteboard. */
    private static final class Entry {
        final int serviceId;
        final int port;
        NewCallNotifier newCall;
        DiscardNotifier discard;
        int backlog;
        String name;
        /** The security indexes it accepts and its minimum level (rxrpc.securityIndex, rxrpc.minimumLevel). */
        int[] securityIndexes = {0};

        int minimumLevel;
        /** What the listening service was last given (changed as security classes come and go). */
        ServiceSecurity given;

        RxService service;
        InetSocketAddress boundTo;
        State state = State.WAITING;
        String detail = "";
        /** A listen for it is under way (on a notifier's thread or the retry thread). */
        boolean listening;
        /** Failed listens in a row. */
        int failures;

        Entry(int serviceId, int port) {
            this.serviceId = serviceId;
            this.port = port;
        }

        boolean complete() {
            return newCall != null && discard != null;
        }
    }

    private final Ports ports;
    /** By key, in order (port, then service id). Guarded by this. */
    private final Map<Long, Entry> entries = new TreeMap<>();

    /** ServerSecurity services by the index their rxrpc.securityIndex names. Guarded by this. */
    private final Map<Integer, ServerSecurity> securityClasses = new TreeMap<>();

    /** Orders the changes of listening services' classes (held while a change waits for an I/O thread). */
    private final Object securityChanges = new Object();

    private boolean active;
    /** Retries FAILED services while active. Guarded by this. */
    private ScheduledExecutorService retry;

    ServiceWhiteboard(Ports ports) {
        this.ports = ports;
    }

    private static long key(int port, int serviceId) {
        return ((long) port << 16) | serviceId;
    }

    /** The transport can open endpoints now: listen for every complete pair. */
    void activate() {
        List<Entry> ready = new ArrayList<>();
        synchronized (this) {
            active = true;
            for (Entry e : entries.values()) if (e.complete()) ready.add(e);
            retry = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rxrpc-whiteboard-retry");
                t.setDaemon(true);
                return t;
            });
            retry.scheduleWithFixedDelay(this::retryFailed, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
        ready.forEach(this::listen);
    }

    /** On the retry thread: listens again for every service that failed. */
    private void retryFailed() {
        List<Entry> failed = new ArrayList<>();
        synchronized (this) {
            if (!active) return;
            for (Entry e : entries.values()) {
                if (e.state == State.FAILED && e.complete() && e.service == null) failed.add(e);
            }
        }
        for (Entry e : failed) {
            try {
                listen(e);
            } catch (RuntimeException ex) {
                LOG.warn("retrying Rx service {} on port {} failed", e.serviceId, e.port, ex);
            }
        }
    }

    /** The transport is stopping (its endpoints close and take the services with them). */
    void deactivate() {
        List<Entry> told = new ArrayList<>();
        ScheduledExecutorService stopping;
        synchronized (this) {
            active = false;
            stopping = retry;
            retry = null;
            for (Entry e : entries.values()) {
                if (e.service != null) told.add(e);
            }
        }
        for (Entry e : told) {
            RxService s;
            NewCallNotifier n;
            synchronized (this) {
                s = e.service;
                n = e.newCall;
                e.service = null;
                e.boundTo = null;
                e.state = State.WAITING;
                e.detail = "the transport stopped";
            }
            if (s != null && n != null) tell(n, s);
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                if (!stopping.awaitTermination(10, TimeUnit.SECONDS))
                    LOG.warn("the whiteboard's retry thread did not end");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void addNewCall(NewCallNotifier n, Map<String, Object> props) {
        Entry e = update(props, n, null);
        if (e != null) listen(e);
    }

    void addDiscard(DiscardNotifier d, Map<String, Object> props) {
        Entry e = update(props, null, d);
        if (e != null) listen(e);
    }

    void removeNewCall(NewCallNotifier n, Map<String, Object> props) {
        remove(props, n, null);
    }

    void removeDiscard(DiscardNotifier d, Map<String, Object> props) {
        remove(props, null, d);
    }

    synchronized List<ServiceStatus> statuses() {
        List<ServiceStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new ServiceStatus(e.serviceId, e.port, e.name, e.state, e.boundTo, e.detail));
        }
        return out;
    }

    /** Records a notifier; returns the entry if its pair is now complete. */
    private synchronized Entry update(Map<String, Object> props, NewCallNotifier n, DiscardNotifier d) {
        int serviceId;
        int port;
        int backlog;
        int[] securityIndexes;
        int minimumLevel;
        try {
            serviceId = number(props, RxEndpoints.SERVICE_ID, 1, 65535, -1);
            port = number(props, RxEndpoints.PORT, 0, 65535, -1);
            backlog = number(props, RxEndpoints.BACKLOG, 1, RxEndpoint.MAX_BACKLOG, 0);
            securityIndexes = SecurityProperties.indexes(props.get(RxEndpoints.SECURITY_INDEX));
            minimumLevel = SecurityProperties.minimumLevel(props.get(RxEndpoints.MINIMUM_LEVEL));
        } catch (IllegalArgumentException ex) {
            LOG.warn("Rx notifier {} ignored: {}", n != null ? n : d, ex.getMessage());
            return null;
        }
        Entry e = entries.computeIfAbsent(key(port, serviceId), k -> new Entry(serviceId, port));
        if ((n != null && e.newCall != null && e.newCall != n) || (d != null && e.discard != null && e.discard != d)) {
            // The first pair wins; a second one for the same service and port is refused, not swapped in.
            LOG.warn(
                    "Rx notifier {} ignored: service {} on port {} already has one ({})",
                    n != null ? n : d,
                    serviceId,
                    port,
                    e.name);
            return null;
        }
        if (n != null) e.newCall = n;
        if (d != null) e.discard = d;
        if (backlog > 0) e.backlog = backlog;
        e.securityIndexes = securityIndexes;
        e.minimumLevel = minimumLevel;
        Object name = props.get(RxEndpoints.NAME);
        if (name != null) e.name = name.toString();
        if (e.name == null) e.name = "service " + serviceId;
        if (!e.complete()) {
            e.detail = "waiting for its " + (e.newCall == null ? "NewCallNotifier" : "DiscardNotifier") + " service";
            return null;
        }
        return active && e.service == null ? e : null;
    }

    private void listen(Entry e) {
        NewCallNotifier n;
        DiscardNotifier d;
        int backlog;
        synchronized (this) {
            if (!active || e.service != null || !e.complete() || e.listening) return;
            e.listening = true;
            n = e.newCall;
            d = e.discard;
            backlog = e.backlog > 0 ? e.backlog : ports.defaultBacklog();
        }
        RxService s;
        InetSocketAddress bound;
        int failedBefore;
        ServiceSecurity security;
        try {
            security = security(e);
            if (security == null) {
                throw new IllegalStateException("a security class it accepts (" + RxEndpoints.SECURITY_INDEX + " = "
                        + java.util.Arrays.toString(e.securityIndexes) + ") has no ServerSecurity service yet");
            }
            RxEndpoint endpoint = ports.openShared(e.port);
            s = endpoint.listen(e.serviceId, backlog, security, n, d);
            bound = endpoint.localAddress();
        } catch (RuntimeException ex) {
            String why = ex.getMessage()
                    + (ex.getCause() != null ? ": " + ex.getCause().getMessage() : "");
            boolean news;
            synchronized (this) {
                e.listening = false;
                news = e.state != State.FAILED || !why.equals(e.detail);
                e.state = State.FAILED;
                e.detail = why;
                e.failures++;
            }
            if (news) {
                LOG.warn(
                        "Rx service {} ({}) not listening on port {}: {} (tried again every {} s)",
                        e.serviceId,
                        e.name,
                        e.port,
                        why,
                        RETRY_MILLIS / 1000);
            } else {
                LOG.debug("Rx service {} ({}) still not listening on port {}: {}", e.serviceId, e.name, e.port, why);
            }
            return;
        }
        boolean stale;
        synchronized (this) {
            e.listening = false;
            failedBefore = e.failures;
            stale = e.newCall != n || e.discard != d || !active;
            if (!stale) {
                e.service = s;
                e.given = security;
                e.boundTo = bound;
                e.state = State.LISTENING;
                e.detail = "";
                e.failures = 0;
            }
        }
        if (stale) { // a notifier went while we listened: undo
            s.close();
            return;
        }
        LOG.info(
                "Rx service {} ({}) listening on udp {}:{} (backlog {}){}",
                e.serviceId,
                e.name,
                bound.getAddress().getHostAddress(),
                bound.getPort(),
                backlog,
                failedBefore > 0 ? ", after " + failedBefore + " failed tries" : "");
        try {
            n.listening(s);
        } catch (RuntimeException ex) {
            LOG.warn("new-call notifier of service {} threw on listening", e.serviceId, ex);
        }
    }

    /**
     * What the entry accepts, from the security classes registered now: index 0 is the null class; null if a
     * class it names is missing (the service then waits, FAILED, and is tried again). Guarded by this.
     */
    private synchronized ServiceSecurity security(Entry e) {
        ServerSecurity[] classes = new ServerSecurity[e.securityIndexes.length];
        for (int i = 0; i < classes.length; i++) {
            int index = e.securityIndexes[i];
            classes[i] = index == 0 ? NullSecurity.INSTANCE : securityClasses.get(index);
            if (classes[i] == null) return null;
        }
        return ServiceSecurity.of(e.minimumLevel, classes);
    }

    /** A ServerSecurity service: its index from rxrpc.securityIndex (else its own); services waiting for it listen. */
    void addSecurity(ServerSecurity s, Map<String, Object> props) {
        int index;
        try {
            index = props.get(RxEndpoints.SECURITY_INDEX) == null
                    ? s.index()
                    : SecurityProperties.indexes(props.get(RxEndpoints.SECURITY_INDEX))[0];
        } catch (IllegalArgumentException ex) {
            LOG.warn("security class {} ignored: {}", s, ex.getMessage());
            return;
        }
        if (index == 0) {
            LOG.warn("security class {} ignored: index 0 is the null class", s);
            return;
        }
        synchronized (this) {
            if (securityClasses.putIfAbsent(index, s) != null) {
                LOG.warn("security class {} ignored: index {} already has one", s, index);
                return;
            }
            if (retry != null) retry.execute(this::retryFailed);
        }
        LOG.info("security class {} ({}) available to Rx services", index, s.name());
        followSecurityClasses();
    }

    /**
     * A ServerSecurity service went: services listening refuse new connections under its index until one
     * comes back; their connections made before go on.
     */
    void removeSecurity(ServerSecurity s) {
        synchronized (this) {
            if (!securityClasses.values().removeIf(c -> c == s)) return;
        }
        followSecurityClasses();
    }

    /** Gives every listening service the classes it names that are registered now, where that changed. */
    private void followSecurityClasses() {
        synchronized (securityChanges) {
            List<Entry> changed = new ArrayList<>();
            List<ServiceSecurity> to = new ArrayList<>();
            List<RxService> services = new ArrayList<>();
            synchronized (this) {
                for (Entry e : entries.values()) {
                    if (e.service == null || e.given == null) continue;
                    ServiceSecurity now = available(e);
                    if (now.classes().equals(e.given.classes())) continue;
                    e.given = now;
                    e.detail = missingClasses(e, now);
                    changed.add(e);
                    to.add(now);
                    services.add(e.service);
                }
            }
            for (int i = 0; i < changed.size(); i++) {
                Entry e = changed.get(i);
                try {
                    services.get(i).changeSecurity(to.get(i));
                    LOG.info(
                            "Rx service {} ({}) on port {} accepts {} for new connections",
                            e.serviceId,
                            e.name,
                            e.port,
                            to.get(i));
                } catch (RuntimeException ex) {
                    LOG.warn("Rx service {} ({}): its security classes could not change", e.serviceId, e.name, ex);
                }
            }
        }
    }

    /** The classes an entry names that are registered now (NONE if there are none). Guarded by this. */
    private ServiceSecurity available(Entry e) {
        List<ServerSecurity> classes = new ArrayList<>();
        for (int index : e.securityIndexes) {
            ServerSecurity c = index == 0 ? NullSecurity.INSTANCE : securityClasses.get(index);
            if (c != null) classes.add(c);
        }
        return classes.isEmpty()
                ? ServiceSecurity.NONE
                : ServiceSecurity.of(e.minimumLevel, classes.toArray(new ServerSecurity[0]));
    }

    /** For operators: the named classes missing from {@code now}, or "" if none is. */
    private static String missingClasses(Entry e, ServiceSecurity now) {
        List<Integer> missing = new ArrayList<>();
        for (int index : e.securityIndexes) if (now.forIndex(index) == null) missing.add(index);
        return missing.isEmpty()
                ? ""
                : "security class " + missing + " has no ServerSecurity service: new connections under it refused";
    }

    private void remove(Map<String, Object> props, NewCallNotifier n, DiscardNotifier d) {
        RxService s;
        NewCallNotifier told;
        Entry e;
        boolean portFree;
        synchronized (this) {
            e = null;
            for (Entry candidate : entries.values()) {
                if ((n != null && candidate.newCall == n) || (d != null && candidate.discard == d)) {
                    e = candidate;
                    break;
                }
            }
            if (e == null) return;
            told = e.newCall;
            s = e.service;
            e.service = null;
            e.boundTo = null;
            if (n != null) e.newCall = null;
            if (d != null) e.discard = null;
            if (e.newCall == null && e.discard == null) {
                entries.remove(key(e.port, e.serviceId));
            } else {
                e.state = State.WAITING;
                e.detail =
                        "waiting for its " + (e.newCall == null ? "NewCallNotifier" : "DiscardNotifier") + " service";
            }
            Entry gone = e;
            portFree = entries.values().stream().noneMatch(o -> o.port == gone.port && o.service != null);
        }
        if (s != null) {
            s.close(); // drains; every charged call goes to the discard notifier once
            LOG.info("Rx service {} ({}) on port {} closed", e.serviceId, e.name, e.port);
            if (told != null) tell(told, s);
        }
        if (portFree) ports.released(e.port);
    }

    private static void tell(NewCallNotifier n, RxService s) {
        try {
            n.closed(s);
        } catch (RuntimeException ex) {
            LOG.warn("new-call notifier of service {} threw on closed", s.serviceId(), ex);
        }
    }

    /** @param absent the value when missing, or -1 if required */
    private static int number(Map<String, Object> props, String key, int min, int max, int absent) {
        Object v = props.get(key);
        if (v == null) {
            if (absent < 0) throw new IllegalArgumentException("property " + key + " is missing");
            return absent;
        }
        long value;
        try {
            value = v instanceof Number
                    ? ((Number) v).longValue()
                    : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(key + " = '" + v + "' is not a number (" + min + ".." + max + ")");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " = " + value + " is outside " + min + ".." + max);
        }
        return (int) value;
    }
}
