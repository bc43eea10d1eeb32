package org.rxrpc.security;

/**
 * Protection levels, as rxkad numbers them (rxgk uses the same three): each packet in the clear with a
 * header checksum, authenticated, or encrypted.
 */
public final class SecurityLevels {
    private SecurityLevels() {}

    /** Packets in the clear; rxkad still checksums each DATA header. */
    public static final int CLEAR = 0;
    /** Every DATA packet carries a sealed length and sequence check (rxkad: 4-byte header, 8 bytes encrypted). */
    public static final int AUTH = 1;
    /** Every DATA packet is encrypted whole (rxkad: 8-byte header, padded to 8 bytes). */
    public static final int CRYPT = 2;

    /** "clear", "auth", "crypt", or "level N". */
    public static String name(int level) {
        switch (level) {
            case CLEAR:
                return "clear";
            case AUTH:
                return "auth";
            case CRYPT:
                return "crypt";
            default:
                return "level " + level;
        }
    }

    /** The level named {@code clear}, {@code auth} or {@code crypt} (case ignored). */
    public static int parse(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "clear":
                return CLEAR;
            case "auth":
                return AUTH;
            case "crypt":
                return CRYPT;
            default:
                throw new IllegalArgumentException("security level must be clear, auth or crypt: " + name);
        }
    }
}
