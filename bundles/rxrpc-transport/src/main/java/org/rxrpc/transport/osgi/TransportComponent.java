package org.rxrpc.transport.osgi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.rxrpc.api.NotifiersMissingException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.api.RxService;
import org.rxrpc.api.RxTransport;
import org.rxrpc.transport.RxTransportImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport bundle's component: registers {@link RxTransport} and {@link RxEndpoints}, keeps one
 * shared endpoint per port, and tracks the notifier services of service bundles (whiteboard). Stopping
 * it closes every endpoint; service bundles that reference it statically stop with it and come back
 * when it returns.
 */
@Component(
        service = {RxTransport.class, RxEndpoints.class},
        configurationPid = TransportComponent.PID,
        immediate = true)
@Designate(ocd = TransportConfiguration.class)
public final class TransportComponent implements RxTransport, RxEndpoints {
    public static final String PID = "org.rxrpc.transport";
    private static final Logger LOG = LoggerFactory.getLogger(TransportComponent.class);

    private final RxTransportImpl transport = new RxTransportImpl();
    private final Map<Long, NewCallNotifier> newCallNotifiers = new ConcurrentHashMap<>();
    private final Map<Long, DiscardNotifier> discardNotifiers = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Map<Integer, RxEndpoint> endpoints = new HashMap<>();
    /** Services listened through the whiteboard, by key; guarded by this. */
    private final Map<Long, RxService> listening = new HashMap<>();

    private volatile TransportConfiguration config;
    private volatile boolean active;

    private static long key(int port, int serviceId) {
        return ((long) port << 16) | serviceId;
    }

    private static long key(Map<String, Object> props) {
        Object port = props.get(PORT);
        Object service = props.get(SERVICE_ID);
        if (!(port instanceof Number) || !(service instanceof Number)) return -1;
        return key(((Number) port).intValue(), ((Number) service).intValue());
    }

    @Activate
    void activate(TransportConfiguration configuration) {
        this.config = configuration;
        this.active = true;
        LOG.info("rxrpc transport active, binding endpoints to {}", configuration.bindAddress());
    }

    @Deactivate
    void deactivate() {
        List<RxEndpoint> toClose;
        synchronized (this) {
            active = false;
            toClose = new ArrayList<>(endpoints.values());
            toClose.addAll(opened);
            endpoints.clear();
            opened.clear();
            pinned.clear();
            listening.clear();
        }
        for (RxEndpoint e : toClose) e.close(); // closes its services: every charged call discarded once
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
                .build();
    }

    // ---- RxTransport ----

    /** Endpoints opened through {@link #open}: closed with the transport too. Guarded by this. */
    private final List<RxEndpoint> opened = new ArrayList<>();
    /** Ports whose shared endpoint someone asked for directly: kept until the transport stops. */
    private final Set<Integer> pinned = new HashSet<>();

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

    /** The shared endpoint of a port, opened if need be. Caller holds this. */
    private RxEndpoint shared(int port) {
        if (!active) throw new IllegalStateException("the rxrpc transport is stopping");
        RxEndpoint e = endpoints.get(port);
        if (e == null) {
            e = transport.open(options(port));
            endpoints.put(port, e);
            if (port == 0) endpoints.put(e.localAddress().getPort(), e);
        }
        return e;
    }

    @Override
    public RxService listen(int port, int serviceId, int backlog) {
        if (backlog < 0 || backlog > 32) throw new IllegalArgumentException("backlog must be 0..32: " + backlog);
        int effective = backlog == 0 ? config.defaultBacklog() : backlog;
        NewCallNotifier newCall = newCallNotifiers.get(key(port, serviceId));
        DiscardNotifier discard = discardNotifiers.get(key(port, serviceId));
        if (newCall == null) throw new NotifiersMissingException(port, serviceId, "NewCallNotifier");
        if (discard == null) throw new NotifiersMissingException(port, serviceId, "DiscardNotifier");
        synchronized (this) {
            RxService s = shared(port).listen(serviceId, effective, newCall, discard);
            listening.put(key(port, serviceId), s);
            LOG.info(
                    "Rx service {} listening on udp {}:{} (backlog {})",
                    serviceId,
                    config.bindAddress(),
                    port,
                    effective);
            return s;
        }
    }

    @Override
    public String bindAddress() {
        return config.bindAddress();
    }

    // ---- whiteboard ----

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        track(newCallNotifiers, notifier, props);
    }

    void removeNewCallNotifier(NewCallNotifier notifier, Map<String, Object> props) {
        untrack(newCallNotifiers, notifier, props);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        track(discardNotifiers, notifier, props);
    }

    void removeDiscardNotifier(DiscardNotifier notifier, Map<String, Object> props) {
        untrack(discardNotifiers, notifier, props);
    }

    private static <T> void track(Map<Long, T> notifiers, T notifier, Map<String, Object> props) {
        long k = key(props);
        if (k < 0) {
            LOG.warn("{} without integer {} and {} properties ignored", notifier, SERVICE_ID, PORT);
            return;
        }
        notifiers.put(k, notifier);
    }

    private <T> void untrack(Map<Long, T> notifiers, T notifier, Map<String, Object> props) {
        long k = key(props);
        if (notifiers.remove(k, notifier)) notifierGone(k);
    }

    /**
     * A service's notifier went away: stop offering the service (a no-op if its owner closed it), and
     * close the port's endpoint once no whiteboard service is left on it (a moved service frees its port).
     */
    private void notifierGone(long k) {
        RxService s;
        RxEndpoint unused = null;
        int port = (int) (k >>> 16);
        synchronized (this) {
            s = listening.remove(k);
            if (s != null
                    && !pinned.contains(port)
                    && listening.keySet().stream().noneMatch(other -> (int) (other >>> 16) == port)) {
                unused = endpoints.remove(port);
            }
        }
        if (s != null) s.close();
        if (unused != null) {
            unused.close();
            LOG.info("udp {}:{} closed: no Rx service left on it", config.bindAddress(), port);
        }
    }
}
