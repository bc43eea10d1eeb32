package org.rxrpc.cm.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rxrpc.api.RxEndpoint;

/**
 * Settings of the cache-manager callback service bundle, PID {@code org.rxrpc.cm}: the handler's
 * whiteboard properties (DS turns {@code rxrpc_port} into {@code rxrpc.port}).
 */
@ObjectClassDefinition(
        name = "AFS cache-manager callback service",
        description = "RXAFSCB (service 1): answers file servers, cmdebug and xstat_cm_test.")
public @interface CmConfiguration {
    @AttributeDefinition(
            name = "UDP port",
            description = "Port of the shared endpoint to serve on (file servers and xstat_cm_test use 7001).",
            min = "0",
            max = "65535")
    int rxrpc_port() default 7001;

    @AttributeDefinition(
            name = "Backlog",
            description = "Calls preallocated (1.." + RxEndpoint.MAX_BACKLOG + ").",
            min = "1",
            max = "" + RxEndpoint.MAX_BACKLOG)
    int rxrpc_backlog() default 8;

    @AttributeDefinition(
            name = "Live-call cap",
            description = "Calls served at once (1..65536).",
            min = "1",
            max = "65536")
    int rxrpc_maxLiveCalls() default 8;

    @AttributeDefinition(
            name = "Event loop",
            description = "Answer on the transport's I/O thread, without a thread hand-off, when the cache manager"
                    + " answers without blocking (or when there is none); false: every call on a handler thread.")
    boolean rxrpc_eventLoop() default true;
}
