package org.rxrpc.rxkad;

import java.util.Arrays;

/**
 * A client's rxkad token, as OpenAFS's {@code ktc_token} and Linux's rxrpc key hold it: the ticket (opaque
 * to the client), the session key sealed in it, the kvno to send with it (the server key's version; 256 or
 * 213 for Kerberos 5 tickets) and its validity (Unix seconds). {@link #toString()} shows neither key nor
 * ticket.
 */
public final class Token {
    private final byte[] ticket;
    private final long sessionKey;
    private final int kvno;
    private final long startSeconds;
    private final long expiresAtSeconds;

    public Token(byte[] ticket, long sessionKey, int kvno, long startSeconds, long expiresAtSeconds) {
        if (ticket.length < 1 || ticket.length > DesTicket.MAX_LENGTH) {
            throw new IllegalArgumentException("ticket length must be 1.." + DesTicket.MAX_LENGTH);
        }
        this.ticket = ticket.clone();
        this.sessionKey = sessionKey;
        this.kvno = kvno;
        this.startSeconds = startSeconds;
        this.expiresAtSeconds = expiresAtSeconds;
    }

    /** A copy of the ticket. */
    public byte[] ticket() {
        return ticket.clone();
    }

    byte[] ticketBytes() {
        return ticket;
    }

    public int ticketLength() {
        return ticket.length;
    }

    /** The session key (big-endian). Key material: never log it. */
    public long sessionKey() {
        return sessionKey;
    }

    public int kvno() {
        return kvno;
    }

    public long startSeconds() {
        return startSeconds;
    }

    /** When the servers will take the ticket as expired ({@link Long#MAX_VALUE}: never). */
    public long expiresAtSeconds() {
        return expiresAtSeconds;
    }

    public boolean isExpired(long nowSeconds) {
        return nowSeconds >= expiresAtSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Token
                && Arrays.equals(((Token) o).ticket, ticket)
                && ((Token) o).sessionKey == sessionKey
                && ((Token) o).kvno == kvno;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ticket);
    }

    @Override
    public String toString() {
        return "Token[kvno " + kvno + ", " + ticket.length + "-byte ticket, start " + startSeconds + ", expires "
                + (expiresAtSeconds == Long.MAX_VALUE ? "never" : String.valueOf(expiresAtSeconds))
                + ", session key redacted]";
    }
}
