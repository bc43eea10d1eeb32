package org.rxrpc.cm.osgi;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.cm.CacheManager;
import org.rxrpc.cm.CacheManagerServer;
import org.rxrpc.service.RxCallHandler;

/**
 * The RXAFSCB bundle: the cache-manager callback handler published on the whiteboard (the serving
 * support runs it, the transport listens for it on {@code rxrpc.port}). A {@link CacheManager} service,
 * when one is registered, supplies the data and receives callback breaks; without one the service
 * answers valid empty data. Settings: PID {@code org.rxrpc.cm}.
 */
@Component(
        service = RxCallHandler.class,
        configurationPid = CmComponent.PID,
        property = {
            "rxrpc.service.id:Integer=1",
            "rxrpc.service.name=cache manager (RXAFSCB)",
            "rxrpc.port:Integer=7001",
            "rxrpc.backlog:Integer=8",
            "rxrpc.maxLiveCalls:Integer=8"
        })
@Designate(ocd = CmConfiguration.class)
public final class CmComponent extends CacheManagerServer {
    public static final String PID = "org.rxrpc.cm";

    public CmComponent() {
        super(null);
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCacheManager(CacheManager cm) {
        setCacheManager(cm);
    }

    void unbindCacheManager(CacheManager cm) {
        clearCacheManager(cm);
    }
}
