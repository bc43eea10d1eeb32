package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADBADTICKET;
import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADNOAUTH;

import org.rxrpc.security.SecurityFailure;

/**
 * A ticket's validity at a given time, as OpenAFS's {@code tkt_CheckTimes} and rxkad_server.c judge it
 * (the more lenient of the two peers, so we accept what either sends): up to 15 minutes of clock skew
 * either way, start 0 or end "never" allowed, at most 30 days of life.
 */
final class TicketTimes {
    private TicketTimes() {}

    /** KTC_TIME_UNCERTAINTY: clock skew allowed between machines. */
    static final long SKEW = 15 * 60;

    static final SecurityFailure NOT_YET_VALID = new SecurityFailure(RXKADNOAUTH, "ticket not yet valid");
    static final SecurityFailure EXPIRED = new SecurityFailure(RXKADEXPIRED, "ticket expired");
    static final SecurityFailure INCONSISTENT = new SecurityFailure(RXKADBADTICKET, "ticket times inconsistent");

    /** Throws unless a ticket from {@code start} to {@code end} is valid at {@code now} (all Unix seconds). */
    static void check(long start, long end, long now) throws SecurityFailure {
        boolean never = end == TicketLifetime.NEVERDATE;
        if (start >= end) throw INCONSISTENT;
        if (start > now + SKEW + TicketLifetime.MAX_SECONDS) throw INCONSISTENT;
        if (start != 0 && !never && end - start > TicketLifetime.MAX_SECONDS) throw INCONSISTENT;
        if (!never && end + SKEW < now) {
            if (start != 0 && now - start > TicketLifetime.MAX_SECONDS + 24 * 3600) throw INCONSISTENT;
            throw EXPIRED;
        }
        if (start != 0 && start - SKEW > now) throw NOT_YET_VALID;
    }
}
