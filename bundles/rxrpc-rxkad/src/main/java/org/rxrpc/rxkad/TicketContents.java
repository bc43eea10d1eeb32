package org.rxrpc.rxkad;

import java.nio.charset.StandardCharsets;

/**
 * What a decoded ticket says, held in preallocated fields so that decoding on the I/O thread allocates no
 * strings: the client principal (name, instance, cell as bytes), the session key, start and end (Unix
 * seconds; end {@link TicketLifetime#NEVERDATE} for never). Reused per connection; not thread-safe.
 */
public final class TicketContents {
    /** OpenAFS's MAXKTCNAMELEN / MAXKTCREALMLEN: a component is shorter than this. */
    public static final int MAX_COMPONENT = 64;

    final byte[] name = new byte[MAX_COMPONENT];
    final byte[] instance = new byte[MAX_COMPONENT];
    final byte[] cell = new byte[MAX_COMPONENT];
    int nameLength;
    int instanceLength;
    int cellLength;
    long sessionKey;
    int host;
    long start;
    long end;

    void clear() {
        nameLength = instanceLength = cellLength = 0;
        sessionKey = 0;
        host = 0;
        start = end = 0;
    }

    public String name() {
        return new String(name, 0, nameLength, StandardCharsets.UTF_8);
    }

    public String instance() {
        return new String(instance, 0, instanceLength, StandardCharsets.UTF_8);
    }

    public String cell() {
        return new String(cell, 0, cellLength, StandardCharsets.UTF_8);
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    /** The session key (8 bytes, big-endian). Key material: never log it. */
    public long sessionKey() {
        return sessionKey;
    }

    /** Whether the cell equals {@code other} (ASCII case ignored, as realms and cells compare), without allocating. */
    boolean cellEquals(byte[] other) {
        if (other.length != cellLength) return false;
        for (int i = 0; i < cellLength; i++) {
            if (Character.toLowerCase(cell[i]) != Character.toLowerCase(other[i])) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "TicketContents[" + name() + (instanceLength > 0 ? "." + instance() : "")
                + (cellLength > 0 ? "@" + cell() : "") + ", start " + start + ", end " + end
                + ", session key redacted]";
    }
}
