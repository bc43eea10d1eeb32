package org.rxrpc.rxperf.osgi;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.rxperf.Rxperf;
import org.rxrpc.rxperf.RxperfServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rxperf service bundle: registers its notifiers on the whiteboard, listens through the transport
 * and serves with a worker named after the bundle. Stopping the bundle (or the transport) closes the
 * service: every charged call goes to the discard notifier once, calls in progress are aborted, the
 * threads end.
 */
@Component(configurationPid = RxperfComponent.PID, immediate = true)
@Designate(ocd = RxperfConfiguration.class)
public final class RxperfComponent {
    public static final String PID = "org.rxrpc.rxperf";
    private static final Logger LOG = LoggerFactory.getLogger(RxperfComponent.class);

    @Reference
    private RxEndpoints endpoints;

    private RxperfServer server;
    private ServiceRegistration<NewCallNotifier> newCallRegistration;
    private ServiceRegistration<DiscardNotifier> discardRegistration;

    @Activate
    void activate(BundleContext context, RxperfConfiguration config) {
        server = new RxperfServer(context.getBundle().getSymbolicName(), config.maxLiveCalls(), config.verify());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(RxEndpoints.SERVICE_ID, Rxperf.SERVICE_ID);
        props.put(RxEndpoints.PORT, config.port());
        newCallRegistration = context.registerService(NewCallNotifier.class, server.newCallNotifier(), props);
        discardRegistration = context.registerService(DiscardNotifier.class, server.discardNotifier(), props);
        try {
            server.start(endpoints.listen(config.port(), Rxperf.SERVICE_ID, config.backlog()));
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
        LOG.info(
                "rxperf (service {}) listening on udp {}:{}",
                Rxperf.SERVICE_ID,
                endpoints.bindAddress(),
                config.port());
    }

    @Deactivate
    void deactivate() {
        if (server != null) server.close();
        server = null;
        if (newCallRegistration != null) newCallRegistration.unregister();
        if (discardRegistration != null) discardRegistration.unregister();
        newCallRegistration = null;
        discardRegistration = null;
    }
}
