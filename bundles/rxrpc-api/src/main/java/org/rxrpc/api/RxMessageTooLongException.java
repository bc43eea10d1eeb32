package org.rxrpc.api;

/**
 * The other side's message was longer than the reader allowed. The call has been aborted with
 * {@link AbortCodes#RXGEN_SS_UNMARSHAL} (a server reading a request) or
 * {@link AbortCodes#RXGEN_CC_UNMARSHAL} (a client reading a reply), as rxgen stubs do.
 */
public class RxMessageTooLongException extends RxException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    public RxMessageTooLongException(int limit) {
        super("message longer than " + limit + " bytes");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
