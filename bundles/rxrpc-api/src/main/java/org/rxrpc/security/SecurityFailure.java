package org.rxrpc.security;

/**
 * A security check failed: the connection (or call) is to be aborted with {@link #abortCode()}.
 *
 * <p>Instances carry no stack trace and are meant to be preallocated and shared (one per reason), so that
 * rejecting a hostile packet allocates nothing on the I/O thread. The message names the reason for logs;
 * it never holds key material or ticket contents.
 */
public final class SecurityFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int abortCode;

    public SecurityFailure(int abortCode, String reason) {
        super(reason, null, false, false);
        this.abortCode = abortCode;
    }

    /** The abort code to send (e.g. {@link SecurityAbortCodes#RXKADSEALEDINCON}). */
    public int abortCode() {
        return abortCode;
    }

    @Override
    public String toString() {
        String name = SecurityAbortCodes.name(abortCode);
        return "SecurityFailure " + (name != null ? name : "") + " (" + abortCode + "): " + getMessage();
    }
}
