package org.rxrpc.api;

/** Base of the transport's documented exceptions. */
public class RxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RxException(String message) {
        super(message);
    }
}
