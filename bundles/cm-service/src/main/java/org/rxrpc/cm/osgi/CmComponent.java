package org.rxrpc.cm.osgi;

import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.cm.CacheManager;
import org.rxrpc.cm.CacheManagerServer;
import org.rxrpc.cm.Rxafscb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RXAFSCB bundle: registers its notifiers on the whiteboard, listens through the transport and
 * serves with a worker named after the bundle. A {@link CacheManager} service, when one is registered,
 * supplies the data and receives callback breaks; without one the service answers valid empty data.
 */
@Component(configurationPid = CmComponent.PID, immediate = true)
@Designate(ocd = CmConfiguration.class)
public final class CmComponent {
    public static final String PID = "org.rxrpc.cm";
    private static final Logger LOG = LoggerFactory.getLogger(CmComponent.class);

    @Reference
    private RxEndpoints endpoints;

    private volatile CacheManager cacheManager;
    private volatile CacheManagerServer server;
    private ServiceRegistration<NewCallNotifier> newCallRegistration;
    private ServiceRegistration<DiscardNotifier> discardRegistration;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCacheManager(CacheManager cm) {
        cacheManager = cm;
        CacheManagerServer s = server;
        if (s != null) s.setCacheManager(cm);
    }

    void unbindCacheManager(CacheManager cm) {
        if (cacheManager != cm) return;
        cacheManager = null;
        CacheManagerServer s = server;
        if (s != null) s.setCacheManager(null);
    }

    @Activate
    void activate(BundleContext context, CmConfiguration config) {
        CacheManagerServer s =
                new CacheManagerServer(context.getBundle().getSymbolicName(), config.maxLiveCalls(), cacheManager);
        server = s;
        s.setCacheManager(cacheManager); // a bind racing the construction
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(RxEndpoints.SERVICE_ID, Rxafscb.SERVICE_ID);
        props.put(RxEndpoints.PORT, config.port());
        newCallRegistration = context.registerService(NewCallNotifier.class, s.newCallNotifier(), props);
        discardRegistration = context.registerService(DiscardNotifier.class, s.discardNotifier(), props);
        try {
            s.start(endpoints.listen(config.port(), Rxafscb.SERVICE_ID, config.backlog()));
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
        LOG.info(
                "RXAFSCB (service {}) listening on udp {}:{}",
                Rxafscb.SERVICE_ID,
                endpoints.bindAddress(),
                config.port());
    }

    @Deactivate
    void deactivate() {
        CacheManagerServer s = server;
        if (s != null) s.close();
        server = null;
        if (newCallRegistration != null) newCallRegistration.unregister();
        if (discardRegistration != null) discardRegistration.unregister();
        newCallRegistration = null;
        discardRegistration = null;
    }
}
