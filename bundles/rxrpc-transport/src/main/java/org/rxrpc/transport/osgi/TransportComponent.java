package org.rxrpc.transport.osgi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
import org.rxrpc.transport.RxTransportImpl;
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
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    private final RxTransportImpl transport = new RxTransportImpl();
    private final ServiceWhiteboard whiteboard = new ServiceWhiteboard(this);
    /** Shared endpoints by port. Guarded by this. */
    private final Map<Integer, RxEndpoint> endpoints = new HashMap<>();
    /** Endpoints opened through {@link #open}: closed with the transport too. Guarded by this. */
    private final List<RxEndpoint> opened = new ArrayList<>();
    /** Ports whose shared endpoint someone asked for directly: kept until the transport stops. */
    private final Set<Integer> pinned = new HashSet<>();

    private volatile TransportConfiguration config;
    private volatile boolean active;

    @Activate
    void activate(TransportConfiguration configuration) {
        this.config = configuration;
        this.active = true;
        LOG.info("rxrpc transport active, binding endpoints to {}", configuration.bindAddress());
        whiteboard.activate();
    }

    @Deactivate
    void deactivate() {
        List<RxEndpoint> toClose;
        synchronized (this) {
            active = false;
            toClose = new ArrayList<>(new HashSet<>(endpoints.values()));
            toClose.addAll(opened);
            endpoints.clear();
            opened.clear();
            pinned.clear();
        }
        for (RxEndpoint e : toClose) e.close(); // closes its services: every charged call discarded once
        whiteboard.deactivate();
        LOG.info("rxrpc transport stopped ({} endpoints closed)", toClose.size());
    }

    private EndpointOptions options(int port) {
        TransportConfiguration c = config;
        return EndpointOptions.builder()
                .bindAddress(c.bindAddress())
                .port(port)
                .receiveWindow(c.receiveWindow())
                .sendWindow(c.sendWindow())
                .deadTimeMillis(c.deadTimeMillis())
                .idleTimeoutMillis(c.idleTimeoutMillis())
                .connectionIdleMillis(c.connectionIdleMillis())
                .socketBufferBytes(c.socketBufferBytes())
                .packetBuffers(c.packetBuffers())
                .newCallDeferMillis(c.newCallDeferMillis())
                .maxConnections(c.maxConnections())
                .maxPeers(c.maxPeers())
                .nativeIo(c.nativeIo())
                .serviceDrainMillis(c.serviceDrainMillis())
                .build();
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
        return config.bindAddress();
    }

    @Override
    public List<ServiceStatus> services() {
        return whiteboard.statuses();
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
            e = transport.open(o);
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
        return config.defaultBacklog();
    }

    // ---- whiteboard references ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        whiteboard.addNewCall(notifier, props);
    }

    void removeNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        whiteboard.removeNewCall(notifier, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        whiteboard.addDiscard(notifier, props);
    }

    void removeDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        whiteboard.removeDiscard(notifier, props);
    }
}
