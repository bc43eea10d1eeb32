package org.rxrpc.service.internal;

import java.util.List;
import org.osgi.framework.ServiceReference;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxEndpoints;
import org.rxrpc.service.RxEventLoopHandler;

/**
 * A handler service's properties, checked: numbers may come as numbers or as text (Karaf-style .cfg
 * files give text), and a bad one is refused with its name, value and range.
 *
 * @param backlog 0 when not given (the transport's default applies)
 */
record HandlerProperties(int serviceId, int port, int backlog, int maxLiveCalls, String name) {
    static final int DEFAULT_MAX_LIVE_CALLS = 16;
    /** The whiteboard properties of a handler. */
    static final List<String> KEYS = List.of(
            RxEndpoints.SERVICE_ID,
            RxEndpoints.PORT,
            RxEndpoints.BACKLOG,
            RxEndpoints.MAX_LIVE_CALLS,
            RxEndpoints.NAME,
            RxEndpoints.SECURITY_INDEX,
            RxEndpoints.MINIMUM_LEVEL,
            RxEventLoopHandler.EVENT_LOOP);

    static HandlerProperties of(ServiceReference<?> ref) {
        int serviceId = number(ref, RxEndpoints.SERVICE_ID, 1, 65535, -1);
        int port = number(ref, RxEndpoints.PORT, 0, 65535, -1);
        int backlog = number(ref, RxEndpoints.BACKLOG, 1, RxEndpoint.MAX_BACKLOG, 0);
        int maxLive = number(ref, RxEndpoints.MAX_LIVE_CALLS, 1, 65536, DEFAULT_MAX_LIVE_CALLS);
        Object n = ref.getProperty(RxEndpoints.NAME);
        String name = n != null ? n.toString() : HandlerWhiteboard.bundleName(ref.getBundle());
        return new HandlerProperties(serviceId, port, backlog, maxLive, name);
    }

    /**
     * {@link RxEventLoopHandler#EVENT_LOOP}: whether an event-loop handler's calls are answered on the I/O
     * thread (true when not given); false serves them all on handler threads.
     */
    static boolean eventLoop(ServiceReference<?> ref) {
        Object v = ref.getProperty(RxEventLoopHandler.EVENT_LOOP);
        if (v == null
                || Boolean.TRUE.equals(v)
                || "true".equalsIgnoreCase(v.toString().trim())) return true;
        if (Boolean.FALSE.equals(v) || "false".equalsIgnoreCase(v.toString().trim())) return false;
        throw new IllegalArgumentException(RxEventLoopHandler.EVENT_LOOP + " = '" + v + "' is not true or false");
    }

    /** @param absent the value when the property is missing, or -1 if it is required */
    private static int number(ServiceReference<?> ref, String key, int min, int max, int absent) {
        Object v = ref.getProperty(key);
        if (v == null) {
            if (absent < 0) throw new IllegalArgumentException("property " + key + " is missing");
            return absent;
        }
        long n;
        try {
            n = v instanceof Number
                    ? ((Number) v).longValue()
                    : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = '" + v + "' is not a number (" + min + ".." + max + ")");
        }
        if (n < min || n > max) throw new IllegalArgumentException(key + " = " + n + " is outside " + min + ".." + max);
        return (int) n;
    }
}
