package org.rxrpc.cm.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the cache-manager callback service bundle, PID {@code org.rxrpc.cm}. */
@ObjectClassDefinition(
        name = "AFS cache-manager callback service",
        description = "RXAFSCB (service 1): answers file servers, cmdebug and xstat_cm_test.")
public @interface CmConfiguration {
    @AttributeDefinition(
            name = "UDP port",
            description = "Port of the shared endpoint to serve on (file servers and xstat_cm_test use 7001).",
            min = "0",
            max = "65535")
    int port() default 7001;

    @AttributeDefinition(name = "Backlog", description = "Calls preallocated (1..32).", min = "1", max = "32")
    int backlog() default 8;

    @AttributeDefinition(name = "Live-call cap", description = "Calls served at once.", min = "1")
    int maxLiveCalls() default 8;
}
