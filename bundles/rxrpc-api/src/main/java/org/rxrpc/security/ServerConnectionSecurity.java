package org.rxrpc.security;

import java.nio.ByteBuffer;

/**
 * The server side of one connection's security, made by {@link ServerSecurity#newConnectionState()} ahead
 * of time and used on the I/O thread only: {@link #open} when the connection goes live, then CHALLENGE
 * (type 6) and RESPONSE (type 7) bodies, then the per-packet methods of {@link ConnectionSecurity}. None of
 * these allocates except inside the JDK ciphers a ticket's decryption uses (once per connection, never per
 * call or packet).
 */
public interface ServerConnectionSecurity extends ConnectionSecurity {
    /** Binds this state to the connection {@code (epoch, cid & ~3)} that just went live. */
    void open(int epoch, int cid);

    /** Whether a response was verified and packets may flow (always true for the null class). */
    boolean isAuthenticated();

    /** Bytes {@link #writeChallenge} writes (rxkad v2: 16). */
    int challengeLength();

    /**
     * Writes the CHALLENGE body at {@code out}'s position and advances it; may be called again to resend
     * the same challenge.
     *
     * @return the bytes written
     */
    int writeChallenge(ByteBuffer out);

    /**
     * Verifies a RESPONSE body (from {@code body}'s position to its limit; the position is left
     * unchanged): ticket, checksum, connection identity, nonce, level.
     *
     * @return true if the connection is now authenticated, false if it already was (a repeated response
     *     is ignored)
     * @throws SecurityFailure with the abort code for the connection
     */
    boolean verifyResponse(ByteBuffer body) throws SecurityFailure;

    /**
     * The call number the client's response reported for {@code channel} (0..3), 0 if none: the transport
     * treats lower call numbers on that channel as old.
     */
    int responseCallNumber(int channel);

    /** When the client's authentication expires (Unix seconds; {@link Long#MAX_VALUE} for never). */
    long expiresAtSeconds();

    /** Who the client is, once authenticated; null before or for the null class. May allocate: not for the I/O thread. */
    SecurityIdentity identity();
}
