package org.rxrpc.vl.sample.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.rxrpc.api.RxEndpoint;

/**
 * Settings of the sample VL server bundle, PID {@code org.rxrpc.vl.sample}: the handler's whiteboard
 * properties (DS turns {@code rxrpc_port} into {@code rxrpc.port}).
 */
@ObjectClassDefinition(
        name = "Sample volume location server",
        description = "A VL server (service 52) on rxgen-generated code, with an in-memory database.")
public @interface VlSampleConfiguration {
    @AttributeDefinition(
            name = "UDP port",
            description = "Port of the shared endpoint to serve on (vos and cache managers use 7003).",
            min = "0",
            max = "65535")
    int rxrpc_port() default 7003;

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
}
