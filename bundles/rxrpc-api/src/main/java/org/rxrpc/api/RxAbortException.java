package org.rxrpc.api;

/**
 * Thrown by application code serving a call to end it with a given abort code, the way an OpenAFS
 * service procedure returns an error: the client sees an ABORT with {@link #abortCode()}.
 */
public class RxAbortException extends RxException {
    private static final long serialVersionUID = 1L;
    private final int abortCode;

    public RxAbortException(int abortCode, String message) {
        super(message + " (abort " + abortCode + ")");
        if (abortCode == 0) throw new IllegalArgumentException("an abort code is never 0");
        this.abortCode = abortCode;
    }

    public RxAbortException(int abortCode) {
        this(abortCode, AbortCodes.name(abortCode));
    }

    public int abortCode() {
        return abortCode;
    }
}
