package org.rxrpc.xdr;

/**
 * Thrown by a service implementation to end the call with an ABORT carrying {@code code}, as an OpenAFS
 * server procedure returns a non-zero code (for example an error-table code such as {@code VL_NOENT}).
 */
public class AbortException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public AbortException(int code) {
        this(code, "abort code " + code);
    }

    public AbortException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
