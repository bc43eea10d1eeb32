package org.rxrpc.security;

import java.nio.ByteBuffer;

/** The client side of one connection's security: answers the server's CHALLENGE, then secures packets. */
public interface ClientConnectionSecurity extends ConnectionSecurity {
    /** The largest RESPONSE body {@link #writeResponse} may write. */
    int maxResponseLength();

    /**
     * Answers a CHALLENGE body ({@code challenge}'s position to limit, left unchanged) with a RESPONSE body
     * written at {@code out}'s position (advanced). The call numbers are the connection's current call
     * number on channels 0-3.
     *
     * @return the bytes written
     * @throws SecurityFailure if the challenge is malformed (RXKADPACKETSHORT, RXKADINCONSISTENCY), asks for
     *     a higher level than ours (RXKADLEVELFAIL), or our token has expired (RXKADEXPIRED)
     */
    int writeResponse(ByteBuffer challenge, ByteBuffer out, int call0, int call1, int call2, int call3)
            throws SecurityFailure;
}
