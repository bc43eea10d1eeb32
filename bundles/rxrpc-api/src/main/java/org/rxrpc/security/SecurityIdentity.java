package org.rxrpc.security;

import java.util.Objects;

/**
 * The authenticated client of a server connection: its Kerberos principal (name, instance, realm/cell) as
 * the ticket names it, the key version that sealed the ticket, the level and the expiry.
 */
public final class SecurityIdentity {
    private final String name;
    private final String instance;
    private final String cell;
    private final int kvno;
    private final int level;
    private final long expiresAtSeconds;

    public SecurityIdentity(String name, String instance, String cell, int kvno, int level, long expiresAtSeconds) {
        this.name = Objects.requireNonNull(name);
        this.instance = Objects.requireNonNull(instance);
        this.cell = Objects.requireNonNull(cell);
        this.kvno = kvno;
        this.level = level;
        this.expiresAtSeconds = expiresAtSeconds;
    }

    public String name() {
        return name;
    }

    public String instance() {
        return instance;
    }

    /** The client's realm as the ticket names it; empty for the local cell in OpenAFS tickets. */
    public String cell() {
        return cell;
    }

    /** The kvno of the server key that sealed the ticket (256 or 213 for Kerberos 5 tickets). */
    public int kvno() {
        return kvno;
    }

    public int level() {
        return level;
    }

    public long expiresAtSeconds() {
        return expiresAtSeconds;
    }

    /** {@code name[.instance][@cell]}, as OpenAFS prints a principal. */
    public String principal() {
        StringBuilder b = new StringBuilder(name);
        if (!instance.isEmpty()) b.append('.').append(instance);
        if (!cell.isEmpty()) b.append('@').append(cell);
        return b.toString();
    }

    @Override
    public String toString() {
        return principal() + " (kvno " + kvno + ", " + SecurityLevels.name(level) + ")";
    }
}
