package org.rxrpc.security;

/**
 * A security class a service accepts, with the service's minimum level. Thread-safe; one instance serves
 * many connections.
 */
public interface ServerSecurity extends SecurityClass {
    /** The lowest level a client may choose; a response below it is refused (RXKADLEVELFAIL). */
    int minimumLevel();

    /**
     * Whether a new connection must pass a challenge and response before its first call is offered to the
     * service (false for the null class).
     */
    boolean requiresChallenge();

    /**
     * A fresh state for one future server connection. Called by the service's charging worker, ahead of
     * time: it may allocate (and draw the challenge's random nonce); nothing later does.
     */
    ServerConnectionSecurity newConnectionState();
}
