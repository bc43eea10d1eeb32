package org.rxrpc.rxperf.osgi;

import java.util.Map;
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

    /**
     * Takes {@code verify} when it is true or false; any other value leaves it as it was (the serving
     * support refuses such a configuration with one line, and the running one goes on).
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object v = properties.get("verify");
        String text = v == null ? "false" : v.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) verify(Boolean.parseBoolean(text));
    }
}
