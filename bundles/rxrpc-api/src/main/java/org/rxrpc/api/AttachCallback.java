package org.rxrpc.api;

import org.osgi.annotation.versioning.ConsumerType;

/** Hands the call object to its owner at charge time, on the charging thread (Linux user_attach_call). */
@ConsumerType
@FunctionalInterface
public interface AttachCallback {
    void attach(RxCall call, long userCallId);
}
