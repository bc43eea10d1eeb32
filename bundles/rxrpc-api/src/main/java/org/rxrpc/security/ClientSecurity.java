package org.rxrpc.security;

/** A security class a client calls with: a token and a level, for any number of connections. */
public interface ClientSecurity extends SecurityClass {
    /** The level the client asks for. */
    int level();

    /** Whether connections expect a CHALLENGE (false for the null class). */
    boolean answersChallenges();

    /**
     * The state of one new client connection {@code (epoch, cid & ~3)}; called when the connection is made
     * (may allocate).
     */
    ClientConnectionSecurity newConnection(int epoch, int cid);
}
