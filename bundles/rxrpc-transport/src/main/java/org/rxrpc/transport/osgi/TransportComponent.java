package org.rxrpc.transport.osgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxTransport;
import org.rxrpc.api.ServiceStatus;
import org.rxrpc.security.ServerSecurity;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.transport.jmx.MBeans;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport bundle's component: registers {@link RxTransport} and {@link RxEndpoints}, keeps one
 * shared endpoint per port, and runs the whiteboard of notifier services ({@link ServiceWhiteboard}).
 * Stopping it closes every endpoint; the whiteboard listens again when it comes back.
 */
@Component(
        service = {RxTransport.class, RxEndpoints.class},
        configurationPid = TransportComponent.PID,
        immediate = true)
@Designate(ocd = TransportConfiguration.class)
public final class TransportComponent implements RxTransport, RxEndpoints, ServiceWhiteboard.Ports {
    public static final String PID = "org.rxrpc.transport";
    static final long TICK_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    private final RxTransportImpl transport = new RxTransportImpl();
    private final ServiceWhiteboard whiteboard = new ServiceWhiteboard(this);
    /** Shared endpoints by port. Guarded by this. */
    private final Map<Integer, RxEndpoint> endpoints = new HashMap<>();
    /** Endpoints opened through {@link #open}: closed with the transport too. Guarded by this. */
    private final List<RxEndpoint> opened = new ArrayList<>();
    /** Ports whose shared endpoint someone asked for directly: kept until the transport stops. */
    private final Set<Integer> pinned = new HashSet<>();

    private volatile TransportSettings settings = TransportSettings.defaults();
    private volatile boolean active;
    private final MBeans mbeans = new MBeans(this);
    private final Monitor monitor = new Monitor();
    /** Syncs the MBeans and watches for BUSY storms while active. Guarded by this. */
    private ScheduledExecutorService ticker;

    /**
     * Activated with its configuration (Config Admin, PID {@value #PID}), checked by {@link TransportSettings}:
     * a configuration with a bad value is refused with one line, and the defaults run instead.
     */
    @Activate
    void activate(Map<String, Object> properties) {
        TransportSettings.Parsed p = TransportSettings.parse(properties);
        warnUnknown(p);
        if (p.settings() == null) {
            LOG.warn("{}: configuration refused, the defaults run instead: {}", PID, String.join("; ", p.problems()));
        }
        start(p.settings() != null ? p.settings() : TransportSettings.defaults());
    }

    /**
     * A new configuration. Refused with one line if a value is bad: the running one goes on, its endpoints
     * and services untouched. Otherwise, if it changes a setting, the endpoints are closed and opened again
     * with it (the services drain, and listen again).
     */
    @Modified
    void modified(Map<String, Object> properties) {
        TransportSettings.Parsed p = TransportSettings.parse(properties);
        warnUnknown(p);
        if (p.settings() == null) {
            LOG.warn("{}: configuration refused, the running one is kept: {}", PID, String.join("; ", p.problems()));
            return;
        }
        if (p.settings().equals(settings)) return;
        LOG.info("{}: new settings ({}); restarting the endpoints", PID, p.settings());
        stop();
        start(p.settings());
    }

    private static void warnUnknown(TransportSettings.Parsed p) {
        for (String key : p.unknown()) {
            LOG.warn("{}: unknown key '{}' ignored (the keys are {})", PID, key, TransportSettings.keys());
        }
    }

    private void start(TransportSettings s) {
        this.settings = s;
        this.active = true;
        LOG.info("rxrpc transport active, binding endpoints to {}", s.endpoint().bindAddress());
        whiteboard.activate();
        synchronized (this) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rxrpc-transport-monitor");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** On the monitor thread, every second: MBeans for what is new, and a WARN for a BUSY storm. */
    private void tick() {
        try {
            List<RxEndpoint> open = endpoints();
            mbeans.sync(open, services());
            monitor.look(open, System.nanoTime());
        } catch (RuntimeException e) {
            LOG.warn("rxrpc transport monitor failed", e);
        }
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    private void stop() {
        List<RxEndpoint> toClose;
        ScheduledExecutorService stopping;
        synchronized (this) {
            active = false;
            stopping = ticker;
            ticker = null;
            toClose = new ArrayList<>(new HashSet<>(endpoints.values()));
            toClose.addAll(opened);
            endpoints.clear();
            opened.clear();
            pinned.clear();
        }
        if (stopping != null) {
            stopping.shutdownNow();
            try {
                stopping.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (RxEndpoint e : toClose) e.close(); // closes its services: every charged call discarded once
        whiteboard.deactivate();
        mbeans.clear();
        LOG.info("rxrpc transport stopped ({} endpoints closed)", toClose.size());
    }

    private EndpointOptions options(int port) {
        return settings.forPort(port);
    }

    // ---- RxTransport ----

    @Override
    public RxEndpoint open(EndpointOptions options) {
        RxEndpoint e = transport.open(options);
        synchronized (this) {
            if (!active) {
                e.close();
                throw new IllegalStateException("the rxrpc transport is stopping");
            }
            opened.removeIf(RxEndpoint::isClosed);
            opened.add(e);
        }
        return e;
    }

    // ---- RxEndpoints ----

    @Override
    public synchronized RxEndpoint endpoint(int port) {
        RxEndpoint e = shared(port);
        pinned.add(e.localAddress().getPort());
        return e;
    }

    @Override
    public String bindAddress() {
        return settings.endpoint().bindAddress();
    }

    @Override
    public List<ServiceStatus> services() {
        return whiteboard.statuses();
    }

    @Override
    public synchronized List<RxEndpoint> endpoints() {
        Set<RxEndpoint> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.addAll(endpoints.values());
        opened.removeIf(RxEndpoint::isClosed);
        all.addAll(opened);
        List<RxEndpoint> out = new ArrayList<>();
        for (RxEndpoint e : all) if (!e.isClosed()) out.add(e);
        out.sort(Comparator.comparingInt(e -> e.localAddress().getPort()));
        return out;
    }

    // ---- ServiceWhiteboard.Ports ----

    @Override
    public synchronized RxEndpoint openShared(int port) {
        return shared(port);
    }

    /** The shared endpoint of a port, opened if need be. Caller holds this. */
    private RxEndpoint shared(int port) {
        if (!active) throw new IllegalStateException("the rxrpc transport is stopping");
        RxEndpoint e = endpoints.get(port);
        if (e == null) {
            EndpointOptions o = options(port);
            if (port != 0) probe(o); // a port taken costs a failed bind, not a whole endpoint's buffers
            e = transport.openForService(o);
            endpoints.put(port, e);
            if (port == 0) endpoints.put(e.localAddress().getPort(), e);
        }
        return e;
    }

    /**
     * Binds and closes a plain socket on the endpoint's address and port: whether the port is free, without
     * allocating an endpoint's tables and packet buffers (the whiteboard retries a taken port often).
     *
     * @throws UncheckedIOException with the endpoint's message if the port is taken
     */
    private static void probe(EndpointOptions o) {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(o.bindAddress(), o.port()));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot bind Rx endpoint to " + o.bindAddress() + ":" + o.port(), ex);
        }
    }

    /** No whiteboard service is left on the port: close its endpoint unless someone asked for it. */
    @Override
    public void released(int port) {
        RxEndpoint unused;
        synchronized (this) {
            if (pinned.contains(port)) return;
            unused = endpoints.remove(port);
            if (unused != null) endpoints.values().removeIf(e -> e == unused);
        }
        if (unused != null) {
            unused.close();
            LOG.info("udp {} closed: no Rx service left on it", unused.localAddress());
        }
    }

    @Override
    public int defaultBacklog() {
        return settings.defaultBacklog();
    }

    // ---- whiteboard references ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        whiteboard.addNewCall(notifier, props);
        syncMBeans();
    }

    void removeNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        whiteboard.removeNewCall(notifier, props);
        syncMBeans();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        whiteboard.addDiscard(notifier, props);
        syncMBeans();
    }

    void removeDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        whiteboard.removeDiscard(notifier, props);
        syncMBeans();
    }

    /** A security class for services that accept its index (rxrpc.securityIndex; the rxkad bundle's: 2). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addServerSecurity(ServerSecurity security, Map<String, Object> props) {
        whiteboard.addSecurity(security, props);
    }

    void removeServerSecurity(ServerSecurity security, Map<String, Object> props) {
        whiteboard.removeSecurity(security);
    }

    /** At once when a service comes or goes (the monitor also does it every second). */
    private void syncMBeans() {
        if (active) mbeans.sync(endpoints(), services());
    }
}
