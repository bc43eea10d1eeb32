package org.rxrpc.xdr;

import org.osgi.annotation.versioning.ConsumerType;
import org.rxrpc.api.RxCall;

/**
 * Serves one incoming call that is already live: reads the opcode and the request, runs the procedure,
 * sends the reply or aborts, and closes the call. Whatever charges and accepts calls (a service bundle's
 * worker) hands each to {@link #dispatch} on a thread that may block.
 */
@ConsumerType
@FunctionalInterface
public interface Dispatcher {
    void dispatch(RxCall call);
}
