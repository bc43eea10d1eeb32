package org.rxrpc.security;

/**
 * Abort codes of the security classes: the rxkad error table "RXK" of OpenAFS (src/rxkad/rxkad_errs.et,
 * base 19270400), which Linux AF_RXRPC sends too.
 */
public final class SecurityAbortCodes {
    private SecurityAbortCodes() {}

    /** Security module structure inconsistent (also: a packet under another security index, a bad version). */
    public static final int RXKADINCONSISTENCY = 19270400;
    /** Packet too short for security challenge (or response). */
    public static final int RXKADPACKETSHORT = 19270401;
    /** Security level negotiation failed. */
    public static final int RXKADLEVELFAIL = 19270402;
    /** Ticket length too long or too short. */
    public static final int RXKADTICKETLEN = 19270403;
    /** Packet had bad sequence number (a response to another challenge). */
    public static final int RXKADOUTOFSEQUENCE = 19270404;
    /** Caller not authorized. */
    public static final int RXKADNOAUTH = 19270405;
    /** Illegal key: bad parity or weak. */
    public static final int RXKADBADKEY = 19270406;
    /** Security object was passed a bad ticket. */
    public static final int RXKADBADTICKET = 19270407;
    /** Ticket contained unknown key version number. */
    public static final int RXKADUNKNOWNKEY = 19270408;
    /** Authentication expired. */
    public static final int RXKADEXPIRED = 19270409;
    /** Sealed data inconsistent. */
    public static final int RXKADSEALEDINCON = 19270410;
    /** User data too long. */
    public static final int RXKADDATALEN = 19270411;
    /** Caller not authorized to use encrypted connections. */
    public static final int RXKADILLEGALLEVEL = 19270412;

    private static final String[] NAMES = {
        "RXKADINCONSISTENCY",
        "RXKADPACKETSHORT",
        "RXKADLEVELFAIL",
        "RXKADTICKETLEN",
        "RXKADOUTOFSEQUENCE",
        "RXKADNOAUTH",
        "RXKADBADKEY",
        "RXKADBADTICKET",
        "RXKADUNKNOWNKEY",
        "RXKADEXPIRED",
        "RXKADSEALEDINCON",
        "RXKADDATALEN",
        "RXKADILLEGALLEVEL"
    };

    /** The name of an rxkad code, or null for any other code. */
    public static String name(int code) {
        int i = code - RXKADINCONSISTENCY;
        return i >= 0 && i < NAMES.length ? NAMES[i] : null;
    }
}
