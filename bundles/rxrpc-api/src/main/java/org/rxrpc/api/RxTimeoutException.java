package org.rxrpc.api;

/** A wait on a call ran out before the call got where it was waited for; the call itself goes on. */
public class RxTimeoutException extends RxException {
    private static final long serialVersionUID = 1L;

    public RxTimeoutException(String message) {
        super(message);
    }
}
