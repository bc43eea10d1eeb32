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

    @AttributeDefinition(
            name = "Server configuration folder",
            description = "An OpenAFS server configuration folder (e.g. /etc/openafs/server) whose UserList names the"
                    + " superusers who may write (besides the server key holder, -localauth) and whose ThisCell is"
                    + " the local cell; reread when they change. Empty: the names below.")
    String configFolder() default "";

    @AttributeDefinition(
            name = "Superusers",
            description = "Without a configuration folder: who may write besides the server key holder,"
                    + " name[.instance] of the local cell, name[.instance]@cell of another. Callers are"
                    + " known only under rxkad.")
    String[] superUsers() default {};

    @AttributeDefinition(
            name = "Local cell",
            description = "Without a configuration folder: the cell whose names appear without @cell above.")
    String localCell() default "";

    @AttributeDefinition(
            name = "No authorisation",
            description = "Everyone may write, unauthenticated callers included (as an OpenAFS server run with"
                    + " -noauth): for sandboxes only.")
    boolean noAuth() default false;
}
