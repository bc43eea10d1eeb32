package org.rxrpc.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told, on the thread closing the service, of each charged call that never became live, exactly once,
 * so the owner can free what it bound to the user call ID.
 */
@ConsumerType
@FunctionalInterface
public interface DiscardNotifier {
    void discard(RxCall call, long userCallId);
}
