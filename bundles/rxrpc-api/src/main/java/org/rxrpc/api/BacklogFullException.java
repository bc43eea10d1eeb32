package org.rxrpc.api;

/** A charge found the backlog already fully charged (Linux -ENOBUFS). */
public class BacklogFullException extends RxException {
    private static final long serialVersionUID = 1L;

    public BacklogFullException(int serviceId, int backlog) {
        super("backlog of service " + serviceId + " is full (" + backlog + " calls charged)");
    }
}
