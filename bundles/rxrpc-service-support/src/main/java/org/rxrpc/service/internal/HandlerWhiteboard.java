package org.rxrpc.service.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.ServiceHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every {@link RxCallHandler} service: for each, a {@link ServiceHost} named after the handler's
 * bundle, whose two notifiers are registered in that bundle's name with the handler's properties, so the
 * transport's whiteboard listens for it. When the handler goes (or changes its properties), its
 * notifiers are unregistered first (the transport drains and closes the service), then its threads end.
 */
@Component(immediate = true)
public final class HandlerWhiteboard {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerWhiteboard.class);

    /** One served handler: its host, the notifier registrations, and the whiteboard properties served. */
    private static final class Served {
        final ServiceHost host;
        final ServiceRegistration<NewCallNotifier> newCall;
        final ServiceRegistration<DiscardNotifier> discard;
        final Map<String, Object> properties;

        Served(
                ServiceHost host,
                ServiceRegistration<NewCallNotifier> newCall,
                ServiceRegistration<DiscardNotifier> discard,
                Map<String, Object> properties) {
            this.host = host;
            this.newCall = newCall;
            this.discard = discard;
            this.properties = properties;
        }
    }

    /** Guarded by this. */
    private final Map<ServiceReference<RxCallHandler>, Served> served = new HashMap<>();

    private boolean active = true;

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            updated = "updatedHandler")
    void addHandler(RxCallHandler handler, ServiceReference<RxCallHandler> ref) {
        List<String> problems = problems(ref);
        if (!problems.isEmpty()) {
            LOG.warn(
                    "{}: configuration refused, the Rx handler of bundle {} is not served: {}",
                    who(ref),
                    bundleName(ref.getBundle()),
                    String.join("; ", problems));
            return;
        }
        HandlerProperties p = HandlerProperties.of(ref);
        boolean eventLoop = HandlerProperties.eventLoop(ref);
        Bundle bundle = ref.getBundle();
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) return; // the bundle is going away
        // The threads are named after the bundle, so that an operator sees whose they are.
        ServiceHost host = new ServiceHost(bundleName(bundle), p.maxLiveCalls(), handler, eventLoop);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(RxEndpoints.SERVICE_ID, p.serviceId());
        props.put(RxEndpoints.PORT, p.port());
        props.put(RxEndpoints.NAME, p.name());
        if (p.backlog() > 0) props.put(RxEndpoints.BACKLOG, p.backlog());
        // The transport's whiteboard reads (and checks) the security settings.
        for (String key : new String[] {RxEndpoints.SECURITY_INDEX, RxEndpoints.MINIMUM_LEVEL}) {
            Object v = ref.getProperty(key);
            if (v != null) props.put(key, v);
        }
        synchronized (this) {
            if (!active) {
                host.close();
                return;
            }
            // Discard first, so the transport sees the pair complete when the new-call notifier arrives.
            ServiceRegistration<DiscardNotifier> discard =
                    context.registerService(DiscardNotifier.class, host.discardNotifier(), props);
            ServiceRegistration<NewCallNotifier> newCall =
                    context.registerService(NewCallNotifier.class, host.newCallNotifier(), props);
            served.put(ref, new Served(host, newCall, discard, HandlerSettings.whiteboardProperties(ref)));
        }
        LOG.debug(
                "Rx handler {} (service {}, port {}) registered for the transport", p.name(), p.serviceId(), p.port());
    }

    void removeHandler(RxCallHandler handler, ServiceReference<RxCallHandler> ref) {
        Served s;
        synchronized (this) {
            s = served.remove(ref);
        }
        if (s != null) stop(s);
    }

    /**
     * New properties (a new configuration). With a bad value they are refused with one line and the running
     * service goes on as it was; with the same whiteboard properties nothing restarts; otherwise the
     * service restarts with them (it drains, then listens again).
     */
    void updatedHandler(RxCallHandler handler, ServiceReference<RxCallHandler> ref) {
        Served current;
        synchronized (this) {
            current = served.get(ref);
        }
        List<String> problems = problems(ref);
        if (!problems.isEmpty()) {
            LOG.warn(
                    "{}: configuration refused, {}: {}",
                    who(ref),
                    current != null ? "the running one is kept" : "the Rx handler is not served",
                    String.join("; ", problems));
            return;
        }
        if (current != null && current.properties.equals(HandlerSettings.whiteboardProperties(ref))) return;
        removeHandler(handler, ref);
        addHandler(handler, ref);
    }

    /** Bad values of a handler's properties (one phrase each); unknown keys are warned about here. */
    private static List<String> problems(ServiceReference<?> ref) {
        List<String> problems = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        HandlerSettings.check(ref, problems, unknown);
        try {
            HandlerProperties.of(ref);
            HandlerProperties.eventLoop(ref);
        } catch (IllegalArgumentException e) {
            problems.add(0, e.getMessage());
        }
        for (String key : unknown) {
            LOG.warn("{}: unknown key '{}' ignored", who(ref), key);
        }
        return problems;
    }

    /** The handler's configuration PID, or its bundle. */
    private static String who(ServiceReference<?> ref) {
        String pid = HandlerSettings.pid(ref);
        return pid != null ? pid : "bundle " + bundleName(ref.getBundle());
    }

    @Deactivate
    void deactivate() {
        Map<ServiceReference<RxCallHandler>, Served> all;
        synchronized (this) {
            active = false;
            all = new HashMap<>(served);
            served.clear();
        }
        all.values().forEach(HandlerWhiteboard::stop);
    }

    /** Notifiers first: the transport closes the service (it drains); then the host's threads end. */
    private static void stop(Served s) {
        unregister(s.newCall);
        unregister(s.discard);
        s.host.close();
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException e) {
            // the registering bundle stopped first: its services are gone already
        }
    }

    static String bundleName(Bundle b) {
        return b == null ? "?" : b.getSymbolicName();
    }
}
