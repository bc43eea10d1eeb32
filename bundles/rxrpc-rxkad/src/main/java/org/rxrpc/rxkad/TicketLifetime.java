package org.rxrpc.rxkad;

/**
 * The one-byte lifetime of a Kerberos 4 style ticket, both readings. OpenAFS (src/rxkad/lifetimes.h,
 * ticket.c): below 0x80 the byte counts 5-minute intervals, 0x80-0xBF index a table rising to 30 days,
 * 0xFF never expires. Linux (net/rxrpc/rxkad.c) reads every byte as 5-minute intervals and has no "never".
 * The two agree on bytes below 0x80, so {@link #forBoth} mints only those.
 */
public final class TicketLifetime {
    private TicketLifetime() {}

    /** OpenAFS's "never expires" byte and end time. */
    public static final int NEVER_EXPIRES = 0xFF;

    public static final long NEVERDATE = 0xFFFFFFFFL;

    /** The longest lifetime every reader takes the same way: 0x7F intervals of 5 minutes (10 h 35 min). */
    public static final int MAX_COMMON_SECONDS = 0x7F * 300;

    /** 30 days: OpenAFS's longest ticket (MAXKTCTICKETLIFETIME). */
    public static final int MAX_SECONDS = 30 * 24 * 3600;

    private static final int MIN_FIXED = 0x80;
    private static final int MAX_FIXED = 0xBF;

    /** OpenAFS's table for bytes 0x80-0xBF: 38,400 s rising by about 1.069 each step to 30 days. */
    private static final int[] TABLE = {
        38400, 41055, 43894, 46929, 50174, 53643, 57352, 61318, 65558, 70091, 74937, 80119, 85658, 91581, 97914, 104684,
        111922, 119661, 127935, 136781, 146239, 156350, 167161, 178720, 191077, 204289, 218415, 233517, 249664, 266926,
        285383, 305116, 326213, 348769, 372885, 398668, 426234, 455705, 487215, 520904, 556921, 595430, 636601, 680618,
        727680, 777995, 831789, 889303, 950794, 1016537, 1086825, 1161973, 1242318, 1328218, 1420057, 1518247, 1623226,
        1735464, 1855462, 1983758, 2120925, 2267576, 2424367, 2592000
    };

    /** The end time OpenAFS reads from {@code life} for a ticket starting at {@code start} (Unix seconds). */
    public static long endOpenAfs(long start, int life) {
        life &= 0xFF;
        if (life == NEVER_EXPIRES) return NEVERDATE;
        if (life < MIN_FIXED) return start + life * 300L;
        if (life > MAX_FIXED) return start + MAX_SECONDS;
        return start + TABLE[life - MIN_FIXED];
    }

    /** The end time Linux reads from {@code life}: always {@code life} intervals of 5 minutes. */
    public static long endLinux(long start, int life) {
        return start + (life & 0xFF) * 300L;
    }

    /**
     * The byte OpenAFS's {@code time_to_life} writes: 0xFF for never, 5-minute intervals rounded up below
     * 38,400 s, else the smallest table entry that is not shorter; 0 (refused) for a lifetime of 0 or
     * more than 30 days.
     */
    public static int encodeOpenAfs(long start, long end) {
        if (end == NEVERDATE) return NEVER_EXPIRES;
        long lifetime = end - start;
        if (lifetime <= 0 || lifetime > MAX_SECONDS) return 0;
        if (lifetime < TABLE[0]) return (int) ((lifetime + 299) / 300);
        for (int i = 0; i < TABLE.length; i++) {
            if (TABLE[i] >= lifetime) return MIN_FIXED + i;
        }
        return 0;
    }

    /**
     * A byte both OpenAFS and Linux read as the same end time: 5-minute intervals, rounded down (so no
     * reader thinks the ticket lives longer than asked), at most 0x7F; at least 1.
     */
    public static int forBoth(long lifetimeSeconds) {
        if (lifetimeSeconds <= 0) throw new IllegalArgumentException("ticket lifetime must be positive");
        return (int) Math.max(1, Math.min(0x7F, lifetimeSeconds / 300));
    }
}
