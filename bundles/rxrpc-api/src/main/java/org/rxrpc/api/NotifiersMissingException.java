package org.rxrpc.api;

/**
 * A whiteboard listen found no registered {@link NewCallNotifier} or {@link DiscardNotifier} for the
 * service id and port (the kernel requires both before kernel_listen()).
 */
public class NotifiersMissingException extends RxException {
    private static final long serialVersionUID = 1L;

    public NotifiersMissingException(int port, int serviceId, String missing) {
        super("cannot listen for service " + serviceId + " on port " + port + ": no " + missing
                + " registered with " + RxEndpoints.SERVICE_ID + "=" + serviceId + " and " + RxEndpoints.PORT + "="
                + port);
    }
}
