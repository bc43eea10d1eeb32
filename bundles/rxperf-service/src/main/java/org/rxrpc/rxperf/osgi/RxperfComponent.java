package org.rxrpc.rxperf.osgi;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.rxperf.RxperfHandler;
import org.rxrpc.service.RxCallHandler;

/**
 * The rxperf service bundle: the rxperf handler published on the whiteboard. The serving support
 * charges and runs it (a worker named after this bundle, handler threads on demand); the transport
 * listens for it on {@code rxrpc.port}. Settings: PID {@code org.rxrpc.rxperf}.
 */
@Component(
        service = RxCallHandler.class,
        configurationPid = RxperfComponent.PID,
        property = {
            "rxrpc.service.id:Integer=147",
            "rxrpc.service.name=rxperf",
            "rxrpc.port:Integer=7009",
            "rxrpc.backlog:Integer=32",
            "rxrpc.maxLiveCalls:Integer=64"
        })
@Designate(ocd = RxperfConfiguration.class)
public final class RxperfComponent extends RxperfHandler {
    public static final String PID = "org.rxrpc.rxperf";

    public RxperfComponent() {
        super(false);
    }

    @Activate
    @Modified
    void configure(RxperfConfiguration config) {
        verify(config.verify());
        limits(config.maxRequestBytes(), config.maxReplyBytes());
    }
}
