package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The lifetime byte as OpenAFS and Linux read it, and what we mint so that both read the same end. */
class TicketLifetimeTest {
    private static final long START = 1_800_000_000L;

    @Test
    void bytesBelow0x80AreFiveMinuteIntervalsForBoth() {
        for (int life = 0; life < 0x80; life++) {
            assertEquals(START + life * 300L, TicketLifetime.endOpenAfs(START, life));
            assertEquals(TicketLifetime.endOpenAfs(START, life), TicketLifetime.endLinux(START, life));
        }
    }

    @Test
    void openAfsTableAndNeverDifferFromLinux() {
        assertEquals(START + 38400, TicketLifetime.endOpenAfs(START, 0x80));
        assertEquals(START + 30 * 24 * 3600, TicketLifetime.endOpenAfs(START, 0xBF));
        assertEquals(START + 30 * 24 * 3600, TicketLifetime.endOpenAfs(START, 0xC0));
        assertEquals(TicketLifetime.NEVERDATE, TicketLifetime.endOpenAfs(START, 0xFF));
        assertEquals(START + 0xFF * 300L, TicketLifetime.endLinux(START, 0xFF));
    }

    @Test
    void openAfsEncodingRoundsUpAndUsesTheTable() {
        assertEquals(12, TicketLifetime.encodeOpenAfs(START, START + 3600));
        assertEquals(13, TicketLifetime.encodeOpenAfs(START, START + 3601));
        assertEquals(0x80, TicketLifetime.encodeOpenAfs(START, START + 38400));
        assertEquals(0x81, TicketLifetime.encodeOpenAfs(START, START + 38401));
        assertEquals(0xFF, TicketLifetime.encodeOpenAfs(START, TicketLifetime.NEVERDATE));
        assertEquals(0, TicketLifetime.encodeOpenAfs(START, START + 31L * 24 * 3600));
        for (int life = 0x80; life <= 0xBF; life++) {
            assertEquals(life, TicketLifetime.encodeOpenAfs(START, TicketLifetime.endOpenAfs(START, life)));
        }
    }

    @Test
    void mintedLifetimesAreReadAlikeAndNeverLongerThanAsked() {
        for (long asked : new long[] {1, 299, 300, 3600, 38100, 38400, 86400, 30L * 24 * 3600}) {
            int life = TicketLifetime.forBoth(asked);
            assertTrue(life >= 1 && life <= 0x7F);
            assertEquals(TicketLifetime.endOpenAfs(START, life), TicketLifetime.endLinux(START, life));
            assertTrue(life * 300L <= Math.max(300, asked));
        }
    }

    @Test
    void localAuthTokensStartNowAndEndWhereLinuxReadsTheirEnd() throws Exception {
        Token t = LocalAuth.mint(Pair.KEYS, START);
        assertEquals(START, t.startSeconds());
        assertEquals(START + TicketLifetime.MAX_COMMON_SECONDS, t.expiresAtSeconds());
        TicketContents c = new TicketContents();
        DesTicket.decode(t.ticket(), 0, t.ticketLength(), Pair.KEY.desKey(), new byte[12000], c);
        assertEquals("afs", c.name());
        assertEquals(START, c.start());
        assertEquals(t.expiresAtSeconds(), TicketLifetime.endLinux(c.start(), (int) ((c.end() - c.start()) / 300)));
        assertEquals(t.expiresAtSeconds(), c.end());
    }
}
