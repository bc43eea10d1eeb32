package org.rxrpc.rxkad;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Mints a token from a server key, as OpenAFS's {@code -localauth} does ({@code afsconf_ClientAuth}:
 * the newest DES key, principal {@code afs} with empty instance and cell, a random session key,
 * {@code tkt_MakeTicket}), but with a lifetime both OpenAFS and Linux servers read alike: OpenAFS mints
 * start 0 and "never expires", which a Linux server refuses as expired. Ours starts now (Linux allows no
 * clock skew on a ticket's start) and lives {@link TicketLifetime#MAX_COMMON_SECONDS} at most.
 */
public final class LocalAuth {
    private LocalAuth() {}

    /** The principal OpenAFS's -localauth tickets name. */
    public static final String PRINCIPAL = "afs";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token from the newest DES key of {@code keys}, valid from now for the longest lifetime both read alike. */
    public static Token mint(ServerKeyRing keys, long nowSeconds) {
        ServerKey key = keys.latestDes();
        if (key == null) throw new IllegalArgumentException("no rxkad DES key (type 0) to mint a token from");
        return mint(key, PRINCIPAL, "", "", nowSeconds, TicketLifetime.MAX_COMMON_SECONDS);
    }

    /**
     * A token sealed with {@code key} for the principal {@code name.instance@cell}, starting at
     * {@code startSeconds} and living {@code lifetimeSeconds} (rounded down to 5 minutes, at most
     * {@link TicketLifetime#MAX_COMMON_SECONDS}).
     */
    public static Token mint(
            ServerKey key, String name, String instance, String cell, long startSeconds, long lifetimeSeconds) {
        Objects.requireNonNull(key);
        if (key.type() != ServerKey.TYPE_RXKAD)
            throw new IllegalArgumentException("LocalAuth needs a DES key (type 0)");
        long sessionKey;
        synchronized (RANDOM) {
            sessionKey = DesKeys.randomSessionKey(RANDOM);
        }
        int life = TicketLifetime.forBoth(lifetimeSeconds);
        byte[] ticket =
                DesTicket.make(key.desKey(), name, instance, cell, 0, sessionKey, startSeconds, life, PRINCIPAL, "");
        return new Token(ticket, sessionKey, key.kvno(), startSeconds, TicketLifetime.endLinux(startSeconds, life));
    }
}
