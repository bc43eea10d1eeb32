package org.rxrpc.api;

/** The service or its endpoint was closed (Linux -ESHUTDOWN). */
public class ServiceClosedException extends RxException {
    private static final long serialVersionUID = 1L;

    public ServiceClosedException(String what) {
        super(what + " is closed");
    }
}
