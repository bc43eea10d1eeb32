package org.rxrpc.service;

import org.osgi.annotation.versioning.ConsumerType;
import org.rxrpc.api.RxCall;

/**
 * An Rx service's logic, one incoming call at a time, on a handler thread (blocking is fine): read the
 * request from the call, send the reply with {@code last}. Afterwards the call is closed for you.
 *
 * <p>Ending a call otherwise: throw {@link org.rxrpc.api.RxAbortException} to abort it with a code of
 * yours (as an OpenAFS procedure returns an error); any other exception aborts it with
 * {@link org.rxrpc.api.AbortCodes#RX_USER_ABORT} and is logged; returning without a complete reply does
 * the same without a log line.
 *
 * <p>Published as an OSGi service with {@link org.rxrpc.api.RxEndpoints#SERVICE_ID} and
 * {@link org.rxrpc.api.RxEndpoints#PORT} (and optionally BACKLOG, MAX_LIVE_CALLS, NAME), it is served by
 * this bundle's whiteboard.
 */
@ConsumerType
@FunctionalInterface
public interface RxCallHandler {
    void handle(RxCall call) throws Exception;
}
