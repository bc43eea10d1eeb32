package org.rxrpc.api;

/** A charge or accept named a user call ID that a charged or unreleased call still holds (Linux -EBADSLT). */
public class CallIdInUseException extends RxException {
    private static final long serialVersionUID = 1L;

    public CallIdInUseException(long userCallId) {
        super("user call ID " + userCallId + " is in use");
    }
}
