package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rxrpc.security.SecurityAbortCodes.RXKADDATALEN;
import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADSEALEDINCON;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.rxrpc.security.SecurityFailure;
import org.rxrpc.security.SecurityLevels;

/**
 * Tampered DATA packets: what rxkad detects (the header checksum at every level, the sealed first block at
 * auth and crypt) with its abort code, and, stated as a test, what it cannot (rxkad has no MAC over the
 * payload: a flipped bit past the first 8 bytes goes unnoticed at auth, and at crypt garbles the data from
 * that block on; the same in OpenAFS and Linux).
 */
class HostilePacketsTest {
    private static final int CALL = 77;
    private static final int SEQ = 5;

    private static byte[] securedPacket(Pair p, int length) throws SecurityFailure {
        byte[] body = new byte[1412];
        for (int i = 0; i < length; i++) body[p.client.securityHeaderSize() + i] = (byte) i;
        p.client.secure(body, 0, length, Pair.EPOCH, Pair.CID, CALL, SEQ, 1);
        return body;
    }

    private static int verify(Pair p, byte[] body, int length, int checksum) throws SecurityFailure {
        return p.server.verify(body, 0, length, Pair.EPOCH, Pair.CID, CALL, SEQ, 1, checksum);
    }

    private static void assertCode(int code, org.junit.jupiter.api.function.Executable e) {
        assertEquals(code, assertThrows(SecurityFailure.class, e).abortCode());
    }

    @Test
    void tamperedHeaderChecksumIsSealedInconsistentAtEveryLevel() throws Exception {
        for (int level = 0; level <= 2; level++) {
            Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), level)).authenticated();
            byte[] body = securedPacket(p, 100);
            int n = p.client.securedLength(100);
            int sum = p.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ);
            assertCode(RXKADSEALEDINCON, () -> verify(p, body.clone(), n, sum ^ 1));
            assertCode(RXKADSEALEDINCON, () -> verify(p, body.clone(), n, 0));
            assertCode(
                    RXKADSEALEDINCON,
                    () -> p.server.verify(body.clone(), 0, n, Pair.EPOCH, Pair.CID, CALL, SEQ + 1, 1, sum));
        }
    }

    @Test
    void everyFlippedBitOfTheSealedBlockIsDetectedAtAuthAndCrypt() throws Exception {
        for (int level = 1; level <= 2; level++) {
            Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), level)).authenticated();
            int n = p.client.securedLength(200);
            int sum = p.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ);
            byte[] good = securedPacket(p, 200);
            for (int bit = 0; bit < 64; bit++) {
                byte[] body = good.clone();
                body[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                try {
                    verify(p, body, n, sum);
                    fail("flipped bit " + bit + " at " + SecurityLevels.name(level) + " not detected");
                } catch (SecurityFailure f) {
                    if (f.abortCode() != RXKADSEALEDINCON && f.abortCode() != RXKADDATALEN) throw f;
                }
            }
        }
    }

    @Test
    void aFlippedBitPastTheSealedBlockIsNotDetectedByRxkadAtAuthOrCrypt() throws Exception {
        for (int level = 1; level <= 2; level++) {
            Pair p = new Pair(Pair.server(0), Pair.client(Pair.token(), level)).authenticated();
            int n = p.client.securedLength(200);
            byte[] body = securedPacket(p, 200);
            body[100] ^= 1;
            assertEquals(200, verify(p, body, n, p.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ)));
        }
    }

    @Test
    void truncatedOrMisalignedBodiesAreRefused() throws Exception {
        Pair auth = new Pair(Pair.server(0), Pair.client(Pair.token(), 1)).authenticated();
        int sum = auth.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ);
        byte[] a = securedPacket(auth, 100);
        assertCode(RXKADSEALEDINCON, () -> verify(auth, a, 7, sum));
        assertCode(RXKADDATALEN, () -> verify(auth, a, 50, sum));
        Pair crypt = new Pair(Pair.server(0), Pair.client(Pair.token(), 2)).authenticated();
        int csum = crypt.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ);
        byte[] c = securedPacket(crypt, 100);
        assertCode(RXKADSEALEDINCON, () -> verify(crypt, c.clone(), 107, csum));
        assertCode(RXKADDATALEN, () -> verify(crypt, c.clone(), 56, csum));
    }

    @Test
    void packetsOfAClientWhoseTicketExpiredAreRefusedBothWays() throws Exception {
        AtomicLong now = new AtomicLong(Pair.NOW);
        RxkadServerSecurity server =
                RxkadServerSecurity.builder(Pair.KEYS).clock(now::get).build();
        Token token = Pair.token();
        Pair p = new Pair(server, Pair.client(token, 1)).authenticated();
        byte[] body = securedPacket(p, 10);
        now.set(token.expiresAtSeconds());
        int sum = p.client.headerChecksum(Pair.EPOCH, Pair.CID, CALL, SEQ);
        assertCode(RXKADEXPIRED, () -> verify(p, body, 12, sum));
        assertCode(RXKADEXPIRED, () -> p.server.secure(new byte[64], 0, 10, Pair.EPOCH, Pair.CID, CALL, SEQ, 2));
    }
}
