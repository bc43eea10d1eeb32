package org.rxrpc.xdr;

/**
 * XDR data that cannot be encoded or decoded: truncated, longer than expected, a count or length over its
 * bound, an unknown enum or union value. Stubs and dispatchers turn it into the matching rxgen abort code.
 */
public class XdrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public XdrException(String message) {
        super(message);
    }
}
