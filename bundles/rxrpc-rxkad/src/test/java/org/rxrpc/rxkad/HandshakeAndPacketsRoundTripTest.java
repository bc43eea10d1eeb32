package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rxrpc.security.ConnectionSecurity;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.security.SecurityLevels;

/** A client and a server state through the whole SPI: handshake, then packets both ways at each level. */
class HandshakeAndPacketsRoundTripTest {
    private static final int BODY = 1412;

    @Test
    void challengeIsVersionTwoWithItsNonceAndLevelZero() {
        ByteBuffer c = ByteBuffer.allocate(16);
        Pair.server(SecurityLevels.CRYPT).newConnectionState().writeChallenge(c);
        assertEquals(2, c.getInt(0));
        assertEquals(SecurityLevels.CLEAR, c.getInt(8));
        assertEquals(0, c.getInt(12));
    }

    @Test
    void responseAuthenticatesTheConnectionAtTheClientsLevelWithItsCallNumbersAndIdentity() throws Exception {
        for (int level = 0; level <= 2; level++) {
            Pair p = new Pair(Pair.server(SecurityLevels.CLEAR), Pair.client(Pair.token(), level));
            assertFalse(p.server.isAuthenticated());
            ByteBuffer response = p.response();
            assertEquals(56 + Pair.token().ticketLength(), response.remaining());
            assertTrue(p.server.verifyResponse(response));
            assertTrue(p.server.isAuthenticated());
            assertEquals(level, p.server.level());
            assertEquals(3, p.server.responseCallNumber(0));
            assertEquals(1, p.server.responseCallNumber(2));
            assertEquals(Pair.NOW - 60 + 3600, p.server.expiresAtSeconds());
            SecurityIdentity id = p.server.identity();
            assertEquals("admin", id.principal());
            assertEquals(7, id.kvno());
            assertFalse(p.server.verifyResponse(response), "a repeated response is ignored");
        }
    }

    @Test
    void packetsRoundTripBothWaysAtEveryLevelAndEveryLength() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (int level = 0; level <= 2; level++) {
            Pair p = new Pair(Pair.server(SecurityLevels.CLEAR), Pair.client(Pair.token(), level)).authenticated();
            assertEquals(new int[] {0, 4, 8}[level], p.client.securityHeaderSize());
            assertEquals(new int[] {BODY, BODY - 4, 1400}[level], p.client.maxDataPerPacket(BODY));
            for (int length = 0; length <= p.client.maxDataPerPacket(BODY); length += 1 + r.nextInt(37)) {
                roundTrip(p.client, p.server, length, r);
                roundTrip(p.server, p.client, length, r);
            }
        }
    }

    private static void roundTrip(ConnectionSecurity from, ConnectionSecurity to, int length, SplittableRandom r)
            throws SecurityFailure {
        int h = from.securityHeaderSize();
        byte[] data = new byte[length];
        r.nextBytes(data);
        byte[] body = new byte[BODY + 16];
        int offset = 5;
        System.arraycopy(data, 0, body, offset + h, length);
        int call = r.nextInt(1, Integer.MAX_VALUE);
        int seq = r.nextInt(1, 100000);
        int sent = from.secure(body, offset, length, Pair.EPOCH, Pair.CID | 2, call, seq, 77);
        assertEquals(from.securedLength(length), sent);
        assertTrue(sent <= BODY, "fits the body");
        if (from.level() == SecurityLevels.CRYPT && length > 8) {
            assertFalse(Arrays.equals(data, Arrays.copyOfRange(body, offset + h, offset + h + length)), "encrypted");
        }
        int checksum = from.headerChecksum(Pair.EPOCH, Pair.CID | 2, call, seq);
        assertTrue(checksum >= 1 && checksum <= 0xFFFF);
        int got = to.verify(body, offset, sent, Pair.EPOCH, Pair.CID | 2, call, seq, 77, checksum);
        assertEquals(length, got);
        assertArrayEquals(data, Arrays.copyOfRange(body, offset + h, offset + h + got));
    }

    @Test
    void checksumDependsOnChannelCallAndSequenceButNotOnTheConnectionsOtherBits() throws Exception {
        Pair p = new Pair(Pair.server(SecurityLevels.CLEAR), Pair.client(Pair.token(), 1)).authenticated();
        int base = p.client.headerChecksum(Pair.EPOCH, Pair.CID, 5, 9);
        assertEquals(base, p.server.headerChecksum(Pair.EPOCH, Pair.CID, 5, 9));
        assertNotEquals(base, p.client.headerChecksum(Pair.EPOCH, Pair.CID | 1, 5, 9));
        assertNotEquals(base, p.client.headerChecksum(Pair.EPOCH, Pair.CID, 6, 9));
        assertNotEquals(base, p.client.headerChecksum(Pair.EPOCH, Pair.CID, 5, 10));
    }

    @Test
    void theNullClassPassesPacketsUntouched() throws Exception {
        NullSecurity n = NullSecurity.INSTANCE;
        assertEquals(0, n.index());
        assertFalse(n.requiresChallenge());
        assertTrue(n.newConnectionState().isAuthenticated());
        byte[] body = {1, 2, 3};
        assertEquals(3, n.secure(body, 0, 3, 1, 2, 3, 4, 5));
        assertEquals(3, n.verify(body, 0, 3, 1, 2, 3, 4, 5, 999));
        assertEquals(0, n.headerChecksum(1, 2, 3, 4));
        assertArrayEquals(new byte[] {1, 2, 3}, body);
    }

    @Test
    void oldEightByteChallengeGetsTheOldResponse() throws Exception {
        Token token = Pair.token();
        Pair p = new Pair(Pair.server(SecurityLevels.CLEAR), Pair.client(token, 1));
        ByteBuffer challenge = ByteBuffer.allocate(8).putInt(4242).putInt(0).flip();
        ByteBuffer out = ByteBuffer.allocate(p.client.maxResponseLength());
        int n = p.client.writeResponse(challenge, out, 0, 0, 0, 0);
        assertEquals(16 + token.ticketLength(), n);
        byte[] sealed = Arrays.copyOf(out.array(), 8);
        new Fcrypt(token.sessionKey()).decryptEcb(sealed, 0, 8);
        assertEquals(4243, ByteBuffer.wrap(sealed).getInt(0));
        assertEquals(1, ByteBuffer.wrap(sealed).getInt(4));
        assertEquals(7, out.getInt(8));
    }
}
