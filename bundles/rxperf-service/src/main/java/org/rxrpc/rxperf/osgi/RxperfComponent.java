package org.rxrpc.rxperf.osgi;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.rxrpc.rxperf.Rxperf;
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
     * Takes {@code verify} and the payload limits when all three are good (true or false, whole numbers
     * from 0); otherwise nothing changes: the serving support refuses such a configuration with one line,
     * and the running one goes on.
     */
    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Boolean verify = bool(properties.get("verify"), false);
        Long request = bytes(properties.get("maxRequestBytes"));
        Long reply = bytes(properties.get("maxReplyBytes"));
        if (verify == null || request == null || reply == null) return;
        verify(verify);
        limits(request, reply);
    }

    /** The value as a boolean, the default when absent, null when it is neither true nor false. */
    private static Boolean bool(Object v, boolean absent) {
        if (v == null) return absent;
        String text = v.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) return Boolean.parseBoolean(text);
        return null;
    }

    /** The value as a byte count from 0, the default when absent, null when it is not one. */
    private static Long bytes(Object v) {
        if (v == null) return Rxperf.DEFAULT_MAX_BYTES;
        try {
            long n = v instanceof Number
                    ? ((Number) v).longValue()
                    : Long.parseLong(v.toString().trim());
            return n >= 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
