package org.rxrpc.rxperf.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.rxrpc.api.RxEndpoint;

/**
 * Settings of the rxperf service bundle, PID {@code org.rxrpc.rxperf}. The {@code rxrpc.*} ones are the
 * handler's whiteboard properties (DS turns {@code rxrpc_port} into {@code rxrpc.port}).
 */
@ObjectClassDefinition(name = "rxperf service", description = "The rxperf test service (service 147).")
public @interface RxperfConfiguration {
    @AttributeDefinition(
            name = "UDP port",
            description = "Port of the shared endpoint to serve on (OpenAFS tools expect 7009); 0 = any.",
            min = "0",
            max = "65535")
    int rxrpc_port() default 7009;

    @AttributeDefinition(
            name = "Backlog",
            description = "Calls preallocated (1.." + RxEndpoint.MAX_BACKLOG + ").",
            min = "1",
            max = "" + RxEndpoint.MAX_BACKLOG)
    int rxrpc_backlog() default 32;

    @AttributeDefinition(
            name = "Live-call cap",
            description = "Calls served at once (1..65536); the worker charges only below it, so a flood meets BUSY.",
            min = "1",
            max = "65536")
    int rxrpc_maxLiveCalls() default 64;

    @AttributeDefinition(
            name = "Security classes",
            description = "Security indexes accepted, e.g. \"0,2\" (0 none, 2 rxkad: needs the rxkad bundle's keys,"
                    + " PID org.rxrpc.rxkad).")
    String rxrpc_securityIndex() default "0";

    @AttributeDefinition(
            name = "Minimum level",
            description = "Lowest level of a secured connection: clear, auth or crypt (lower: RXKADLEVELFAIL).",
            options = {
                @Option(value = "clear", label = "clear"),
                @Option(value = "auth", label = "auth"),
                @Option(value = "crypt", label = "crypt")
            })
    String rxrpc_minimumLevel() default "clear";

    @AttributeDefinition(
            name = "Event loop",
            description = "Answer small calls on the transport's I/O thread, without a thread hand-off (false:"
                    + " every call on a handler thread).")
    boolean rxrpc_eventLoop() default true;

    @AttributeDefinition(
            name = "Verify payloads",
            description = "Check every request byte against the rxperf pattern (abort 1000 on a mismatch).")
    boolean verify() default false;

    @AttributeDefinition(
            name = "Largest request (bytes)",
            description = "A call announcing a larger request payload is aborted with 1001 before it is read.",
            min = "0")
    long maxRequestBytes() default 256L << 20;

    @AttributeDefinition(
            name = "Largest reply (bytes)",
            description = "A call asking for a larger reply payload is aborted with 1001 before it is sent.",
            min = "0")
    long maxReplyBytes() default 256L << 20;
}
