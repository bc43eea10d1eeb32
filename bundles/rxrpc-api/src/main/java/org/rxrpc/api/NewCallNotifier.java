package org.rxrpc.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told on the I/O thread that a charged call was made live by an incoming call: the preallocation is one
 * short and should be recharged. Must be quick (wake a worker, nothing more).
 */
@ConsumerType
@FunctionalInterface
public interface NewCallNotifier {
    void newCall(RxService service, RxCall call, long userCallId);

    /**
     * Whiteboard: the transport now listens with this notifier; charge {@code service} from your worker.
     * Called on a transport thread before any call can go live.
     */
    default void listening(RxService service) {}

    /** Whiteboard: the transport closed {@code service} (its charged calls went to the discard notifier). */
    default void closed(RxService service) {}
}
