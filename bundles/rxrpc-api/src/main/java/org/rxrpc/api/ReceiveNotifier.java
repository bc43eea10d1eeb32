package org.rxrpc.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told on the I/O thread that a call has new data to read or has completed. May be told more often than
 * needed; must be quick (wake the reader, nothing more).
 */
@ConsumerType
@FunctionalInterface
public interface ReceiveNotifier {
    void dataReady(RxCall call, long userCallId);
}
