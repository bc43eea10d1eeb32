package org.rxrpc.api;

/**
 * One service listened on at an endpoint, as its I/O thread sees it ({@link EndpointSnapshot#services}).
 *
 * @param serviceId the Rx service id
 * @param userSocket true in user-socket mode ({@link RxUserService}), false in kernel-service mode
 * @param backlog the most calls it preallocates (1..32)
 * @param chargedCalls calls charged now, waiting for a client (the backlog's fill)
 * @param liveCalls its server calls in progress
 * @param deferredCalls first packets of new calls kept now, waiting for a charge
 * @param busySent new calls it answered BUSY since it was listened on
 * @param draining closed, finishing its calls in progress (new calls get BUSY)
 */
public record ServiceSnapshot(
        int serviceId,
        boolean userSocket,
        int backlog,
        int chargedCalls,
        int liveCalls,
        int deferredCalls,
        long busySent,
        boolean draining) {}
