package org.rxrpc.xdr;

/** Carries an InterruptedException out of a sink or source (their signatures have no checked exceptions). */
final class CallInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallInterrupted(InterruptedException cause) {
        super(cause);
    }
}
