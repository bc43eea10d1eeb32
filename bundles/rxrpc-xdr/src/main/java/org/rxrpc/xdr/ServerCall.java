package org.rxrpc.xdr;

import java.net.InetSocketAddress;
import org.rxrpc.security.SecurityIdentity;

/**
 * An incoming call as a service procedure sees it: who called, and for a split procedure the raw stream
 * ({@link #in()}: request bytes after the arguments; {@link #out()}: reply bytes before the OUT values).
 * Generated dispatchers use the rest.
 */
public final class ServerCall implements CallStream {
    private final CallIo io;
    private boolean requestEnded;
    private boolean replying;

    ServerCall(CallIo io) {
        this.io = io;
    }

    /** The calling peer's address and port. */
    public InetSocketAddress peer() {
        return io.call().peer();
    }

    /** The security class the caller chose (0 null, 2 rxkad): {@link org.rxrpc.api.RxCall#securityIndex()}. */
    public int securityIndex() {
        return io.call().securityIndex();
    }

    /** The level the caller's connection runs at: {@link org.rxrpc.api.RxCall#securityLevel()}. */
    public int securityLevel() {
        return io.call().securityLevel();
    }

    /**
     * Who called, as their security class authenticated them; null for the null class. What a procedure
     * authorises by (OpenAFS's servers ask {@code afsconf_SuperUser}): {@link org.rxrpc.api.RxCall#identity()}.
     */
    public SecurityIdentity identity() {
        return io.call().identity();
    }

    /** The Rx service id the call arrived on. */
    public int serviceId() {
        return io.call().serviceId();
    }

    /** The request, from just after the opcode. */
    @Override
    public XdrDecoder in() {
        return io.in();
    }

    /** The reply; first use checks that the whole request was read (nothing can be sent before). */
    @Override
    public XdrEncoder out() {
        if (!replying) {
            endRequest();
            replying = true;
        }
        return io.out();
    }

    /** Checks that the request ends here: bytes left over mean arguments that do not match. */
    public void endRequest() {
        if (requestEnded) return;
        io.in().expectEnd();
        requestEnded = true;
    }

    boolean replying() {
        return replying;
    }

    /** Sends the reply (empty if nothing was written) as complete. */
    void finish() {
        out().finish();
    }
}
