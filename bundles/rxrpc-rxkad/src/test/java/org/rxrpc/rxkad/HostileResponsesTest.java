package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rxrpc.security.SecurityAbortCodes.RXKADBADKEY;
import static org.rxrpc.security.SecurityAbortCodes.RXKADBADTICKET;
import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADINCONSISTENCY;
import static org.rxrpc.security.SecurityAbortCodes.RXKADLEVELFAIL;
import static org.rxrpc.security.SecurityAbortCodes.RXKADNOAUTH;
import static org.rxrpc.security.SecurityAbortCodes.RXKADOUTOFSEQUENCE;
import static org.rxrpc.security.SecurityAbortCodes.RXKADPACKETSHORT;
import static org.rxrpc.security.SecurityAbortCodes.RXKADSEALEDINCON;
import static org.rxrpc.security.SecurityAbortCodes.RXKADTICKETLEN;
import static org.rxrpc.security.SecurityAbortCodes.RXKADUNKNOWNKEY;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServerConnectionSecurity;

/**
 * Every hostile RESPONSE this layer can judge is refused with its defined abort code and leaves the
 * connection unauthenticated (issue 9, item 4; and the ticket and length checks OpenAFS and Linux fixed
 * over the years: lengths outside 32..12000, tickets longer than their response, strings running past the
 * ticket or longer than 63 bytes).
 */
class HostileResponsesTest {
    private static final ServerKey OTHER_KEY = ServerKey.des(7, Hex.bytes("fedcba9876543210"));

    private static void assertRefused(int code, ServerConnectionSecurity server, ByteBuffer response) {
        SecurityFailure f = assertThrows(SecurityFailure.class, () -> server.verifyResponse(response));
        assertEquals(code, f.abortCode(), f.toString());
        assertFalse(server.isAuthenticated());
        assertThrows(SecurityFailure.class, () -> server.verify(new byte[8], 0, 8, 0, 0, 1, 1, 0, 0));
    }

    private static void refusedWithToken(int code, Token token, RxkadServerSecurity server) throws Exception {
        // The client's clock at the token's start: it would not answer with a token it knows is expired.
        Pair p = new Pair(server, new RxkadClientSecurity(token, SecurityLevels.AUTH, token::startSeconds));
        assertRefused(code, p.server, p.response());
    }

    /** A response from a good token with its sealed part changed by {@code edit} (plaintext offsets). */
    private static ByteBuffer edited(Pair p, Token token, Consumer<byte[]> edit) throws Exception {
        ByteBuffer r = p.response();
        byte[] b = new byte[r.remaining()];
        r.get(b);
        Fcrypt f = new Fcrypt(token.sessionKey());
        f.decryptPcbc(b, 8, 40, token.sessionKey());
        edit.accept(b);
        f.encryptPcbc(b, 8, 40, token.sessionKey());
        return ByteBuffer.wrap(b);
    }

    private static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).putInt(at, v);
    }

    private static void sealChecksum(byte[] b) {
        putInt(b, 16, RxkadResponse.checksum(b, 0));
    }

    @Test
    void ticketSealedWithAnotherKeyIsBadTicket() throws Exception {
        refusedWithToken(RXKADBADTICKET, LocalAuth.mint(OTHER_KEY, "admin", "", "", Pair.NOW, 3600), Pair.server(0));
    }

    @Test
    void ticketOfAnUnknownKvnoIsUnknownKey() throws Exception {
        ServerKey kvno9 = ServerKey.des(9, Hex.bytes("0123456789abcdef"));
        refusedWithToken(RXKADUNKNOWNKEY, LocalAuth.mint(kvno9, "admin", "", "", Pair.NOW, 3600), Pair.server(0));
    }

    @Test
    void expiredTicketIsExpired() throws Exception {
        refusedWithToken(
                RXKADEXPIRED, LocalAuth.mint(Pair.KEY, "admin", "", "", Pair.NOW - 7200, 3600), Pair.server(0));
    }

    @Test
    void ticketStartingBeyondTheAllowedSkewIsNotAuthorized() throws Exception {
        refusedWithToken(
                RXKADNOAUTH, LocalAuth.mint(Pair.KEY, "admin", "", "", Pair.NOW + 16 * 60, 3600), Pair.server(0));
    }

    @Test
    void ticketWithinFifteenMinutesOfSkewIsAccepted() throws Exception {
        Pair p = new Pair(
                Pair.server(0), Pair.client(LocalAuth.mint(Pair.KEY, "admin", "", "", Pair.NOW + 14 * 60, 3600), 1));
        p.server.verifyResponse(p.response());
    }

    @Test
    void ticketOfAnotherCellIsNotAuthorizedWhereOnlyOurCellIsAccepted() throws Exception {
        RxkadServerSecurity server = RxkadServerSecurity.builder(Pair.KEYS)
                .acceptedCells("example.test")
                .clock(() -> Pair.NOW)
                .build();
        refusedWithToken(RXKADNOAUTH, LocalAuth.mint(Pair.KEY, "admin", "", "evil.test", Pair.NOW, 3600), server);
        Pair ok =
                new Pair(server, Pair.client(LocalAuth.mint(Pair.KEY, "admin", "", "EXAMPLE.TEST", Pair.NOW, 3600), 1));
        ok.server.verifyResponse(ok.response());
    }

    @Test
    void ticketForAnotherServiceSealedWithItsKeyIsBadTicket() throws Exception {
        // Another service's ticket is sealed with that service's key: to us it does not decode.
        Token otherService = new Token(
                DesTicket.make(
                        OTHER_KEY.desKey(), "admin", "", "", 0, 0x0123456789abcdefL, Pair.NOW, 12, "rcmd", "host"),
                0x0123456789abcdefL,
                7,
                Pair.NOW,
                Pair.NOW + 3600);
        refusedWithToken(RXKADBADTICKET, otherService, Pair.server(0));
    }

    @Test
    void serverKeyWithBadParityOrWeakIsBadKey() throws Exception {
        Token token = Pair.token();
        for (String bad : new String[] {"0023456789abcdef", "0101010101010101"}) {
            RxkadServerSecurity server = RxkadServerSecurity.builder(
                            new ServerKeyRing(List.of(ServerKey.des(7, Hex.bytes(bad)))))
                    .clock(() -> Pair.NOW)
                    .build();
            refusedWithToken(RXKADBADKEY, token, server);
        }
    }

    @Test
    void shortResponsesAndTicketLengthsOutOfRangeAreRefused() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer good = p.response();
        assertRefused(RXKADPACKETSHORT, p.server, good.duplicate().limit(55));
        for (int length : new int[] {0, 31, 12001, -1, Integer.MAX_VALUE}) {
            ByteBuffer r =
                    ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
            r.putInt(52, length);
            assertRefused(RXKADTICKETLEN, p.server, r);
        }
        ByteBuffer longer =
                ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
        longer.putInt(52, good.remaining() - 56 + 8); // claims more ticket than was sent
        assertRefused(RXKADPACKETSHORT, p.server, longer);
        ByteBuffer truncated = good.duplicate().limit(good.limit() - 8);
        assertRefused(RXKADPACKETSHORT, p.server, truncated);
    }

    @Test
    void truncatedOrPaddedTicketIsBadTicket() throws Exception {
        Token token = LocalAuth.mint(Pair.KEY, "administrator", "", "", Pair.NOW, 3600); // a 40-byte ticket
        Pair p = new Pair(Pair.server(0), Pair.client(token, 1));
        ByteBuffer good = p.response();
        int ticketLength = good.getInt(52);
        for (int cut : new int[] {8, 3}) {
            ByteBuffer r =
                    ByteBuffer.allocate(good.remaining()).put(good.duplicate()).flip();
            r.putInt(52, ticketLength - cut);
            assertRefused(RXKADBADTICKET, p.server, r.limit(56 + ticketLength - cut));
        }
        ByteBuffer padded = ByteBuffer.allocate(good.remaining() + 64).put(good.duplicate());
        padded.put(new byte[64]).flip();
        padded.putInt(52, ticketLength + 64);
        assertRefused(RXKADBADTICKET, p.server, padded);
    }

    @Test
    void ticketWhoseStringsRunPastItsEndOrAreTooLongIsBadTicket() throws Exception {
        byte[] plain = new byte[64];
        java.util.Arrays.fill(plain, (byte) 'a'); // no NUL anywhere
        assertBadTicketPlaintext(plain);
        byte[] longName = new byte[120];
        java.util.Arrays.fill(longName, 1, 70, (byte) 'b'); // a 69-byte name
        assertBadTicketPlaintext(longName);
    }

    private static void assertBadTicketPlaintext(byte[] plain) throws Exception {
        javax.crypto.Cipher des = javax.crypto.Cipher.getInstance("DES/PCBC/NoPadding");
        byte[] k = Pair.KEY.key();
        des.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(k, "DES"),
                new javax.crypto.spec.IvParameterSpec(k));
        byte[] sealed = des.doFinal(plain);
        SecurityFailure f = assertThrows(
                SecurityFailure.class,
                () -> DesTicket.decode(
                        sealed, 0, sealed.length, Pair.KEY.desKey(), new byte[12000], new TicketContents()));
        assertEquals(RXKADBADTICKET, f.abortCode());
    }

    @Test
    void responseOfAnotherVersionIsInconsistent() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer r = p.response();
        r.putInt(0, 1);
        assertRefused(RXKADINCONSISTENCY, p.server, r);
    }

    @Test
    void tamperedSealedPartIsSealedInconsistent() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer r = p.response();
        r.put(30, (byte) (r.get(30) ^ 0x10));
        assertRefused(RXKADSEALEDINCON, p.server, r);
    }

    @Test
    void responseReplayedOnAnotherConnectionIsSealedInconsistent() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer r = p.response();
        ServerConnectionSecurity other = Pair.server(0).newConnectionState();
        other.open(Pair.EPOCH, Pair.CID + 4);
        other.writeChallenge(ByteBuffer.allocate(16));
        assertRefused(RXKADSEALEDINCON, other, r);
        ServerConnectionSecurity otherEpoch = Pair.server(0).newConnectionState();
        otherEpoch.open(Pair.EPOCH + 1, Pair.CID);
        otherEpoch.writeChallenge(ByteBuffer.allocate(16));
        assertRefused(RXKADSEALEDINCON, otherEpoch, r.rewind());
    }

    @Test
    void responseToAnotherChallengeIsOutOfSequence() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer r = p.response();
        p.server.open(Pair.EPOCH, Pair.CID); // a new nonce for the same connection
        p.server.writeChallenge(ByteBuffer.allocate(16));
        assertRefused(RXKADOUTOFSEQUENCE, p.server, r);
    }

    @Test
    void responseWithoutAChallengeIsOutOfSequence() throws Exception {
        Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), 1));
        ByteBuffer r = p.response();
        ServerConnectionSecurity fresh = Pair.server(0).newConnectionState();
        fresh.open(Pair.EPOCH, Pair.CID);
        assertRefused(RXKADOUTOFSEQUENCE, fresh, r);
    }

    @Test
    void levelBelowTheMinimumOrAboveCryptIsLevelFail() throws Exception {
        Pair p = new Pair(Pair.server(SecurityLevels.CRYPT), Pair.client(Pair.token(), SecurityLevels.AUTH));
        assertRefused(RXKADLEVELFAIL, p.server, p.response());
        Token token = Pair.token();
        Pair q = new Pair(Pair.server(0), Pair.client(token, 1));
        ByteBuffer r = edited(q, token, b -> {
            putInt(b, 44, 3);
            sealChecksum(b);
        });
        assertRefused(RXKADLEVELFAIL, q.server, r);
    }

    @Test
    void negativeCallNumberIsSealedInconsistent() throws Exception {
        Token token = Pair.token();
        Pair p = new Pair(Pair.server(0), Pair.client(token, 1));
        ByteBuffer r = edited(p, token, b -> {
            putInt(b, 28, -5);
            sealChecksum(b);
        });
        assertRefused(RXKADSEALEDINCON, p.server, r);
    }

    @Test
    void clientRefusesAChallengeAboveItsLevelOrTooShortOrWithAnExpiredToken() {
        Token token = Pair.token();
        var client = Pair.client(token, SecurityLevels.AUTH).newConnection(Pair.EPOCH, Pair.CID);
        ByteBuffer out = ByteBuffer.allocate(client.maxResponseLength());
        ByteBuffer crypt =
                ByteBuffer.allocate(16).putInt(2).putInt(1).putInt(2).putInt(0).flip();
        assertEquals(
                RXKADLEVELFAIL,
                assertThrows(SecurityFailure.class, () -> client.writeResponse(crypt, out, 0, 0, 0, 0))
                        .abortCode());
        ByteBuffer shortOne = ByteBuffer.allocate(7).flip();
        assertEquals(
                RXKADPACKETSHORT,
                assertThrows(SecurityFailure.class, () -> client.writeResponse(shortOne, out, 0, 0, 0, 0))
                        .abortCode());
        var late = new RxkadClientSecurity(token, 1, () -> token.expiresAtSeconds()).newConnection(1, 4);
        ByteBuffer v2 =
                ByteBuffer.allocate(16).putInt(2).putInt(1).putInt(0).putInt(0).flip();
        assertEquals(
                RXKADEXPIRED,
                assertThrows(SecurityFailure.class, () -> late.writeResponse(v2, out, 0, 0, 0, 0))
                        .abortCode());
    }
}
