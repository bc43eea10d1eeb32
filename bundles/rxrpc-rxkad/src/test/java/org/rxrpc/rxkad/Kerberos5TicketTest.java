package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rxrpc.security.SecurityAbortCodes.RXKADBADTICKET;
import static org.rxrpc.security.SecurityAbortCodes.RXKADEXPIRED;
import static org.rxrpc.security.SecurityAbortCodes.RXKADNOAUTH;
import static org.rxrpc.security.SecurityAbortCodes.RXKADUNKNOWNKEY;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rxrpc.security.SecurityFailure;

/**
 * Kerberos 5 tickets: the RFC 3961 n-fold and RFC 3962 AES-CTS vectors, a whole handshake with a kvno
 * 256 ticket, and hostile tickets (wrong key, unknown kvno or enctype, tampered, truncated, expired,
 * invalid, dotted name) each with its abort code.
 */
class Kerberos5TicketTest {
    private static final byte[] AES256 = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long SESSION = 0x0123456789abcdefL;

    @Test
    void nfoldMatchesRfc3961() {
        assertEquals("be072631276b1955", Hex.of(KerberosAes.nfold(ascii("012345"), 8)));
        assertEquals("78a07b6caf85fa", Hex.of(KerberosAes.nfold(ascii("password"), 7)));
        assertEquals("bb6ed30870b7f0e0", Hex.of(KerberosAes.nfold(ascii("Rough Consensus, and Running Code"), 8)));
        assertEquals("59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e", Hex.of(KerberosAes.nfold(ascii("password"), 21)));
        assertEquals("6b65726265726f737b9b5b2b93132b93", Hex.of(KerberosAes.nfold(ascii("kerberos"), 16)));
    }

    @Test
    void ctsMatchesRfc3962() throws Exception {
        byte[] key = Hex.bytes("636869636b656e207465726979616b69");
        assertEquals(
                "c6353568f2bf8cb4d8a580362da7ff7f97",
                Hex.of(KerberosAes.ctsEncrypt(key, Hex.bytes("4920776f756c64206c696b652074686520"))));
        byte[] in32 = Hex.bytes(
                "4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c");
        byte[] out = KerberosAes.ctsEncrypt(key, in32);
        assertEquals(Hex.of(in32), Hex.of(KerberosAes.ctsDecrypt(key, out, 0, out.length)));
        byte[] in31 = Arrays.copyOf(in32, 31);
        assertEquals(
                "fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5",
                Hex.of(KerberosAes.ctsEncrypt(key, in31)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] sealed(byte[] part, byte[] key, int kvno) throws Exception {
        byte[] cipher = KerberosAes.encrypt(key, Krb5Ticket.KEY_USAGE_TICKET, new byte[16], part);
        return DerWriter.ticket("EXAMPLE.TEST", DerWriter.encryptedData(18, kvno, cipher));
    }

    private static byte[] part(int flags, String realm, String[] name, long auth, long end) {
        byte[] session = new byte[8];
        Fcrypt.putBlock(session, 0, SESSION);
        return DerWriter.encTicketPart(flags, 1, session, realm, name, auth, end);
    }

    private static final ServerKeyRing KEYS =
            new ServerKeyRing(List.of(new ServerKey(ServerKey.TYPE_RXKAD_KRB5, 4, 18, AES256), Pair.KEY));

    @Test
    void wholeTicketUnderKvno256AuthenticatesAConnection() throws Exception {
        byte[] ticket = sealed(
                part(0, "EXAMPLE.TEST", new String[] {"user", "admin"}, Pair.NOW - 10, Pair.NOW + 600), AES256, 4);
        Token token = new Token(ticket, SESSION, 256, Pair.NOW - 10, Pair.NOW + 600);
        RxkadServerSecurity server =
                RxkadServerSecurity.builder(KEYS).clock(() -> Pair.NOW).build();
        Pair p = new Pair(server, Pair.client(token, 2)).authenticated();
        assertEquals("user.admin@EXAMPLE.TEST", p.server.identity().principal());
        assertEquals(256, p.server.identity().kvno());
        assertEquals(Pair.NOW + 600, p.server.expiresAtSeconds());
    }

    private static int refusal(byte[] ticket, ServerKeyRing keys) {
        return assertThrows(
                        SecurityFailure.class,
                        () -> Krb5Ticket.decode(
                                ticket, 0, ticket.length, true, keys, Pair.NOW, true, new TicketContents()))
                .abortCode();
    }

    @Test
    void hostileKerberos5TicketsAreRefusedWithTheirCodes() throws Exception {
        byte[] good = part(0, "EXAMPLE.TEST", new String[] {"user"}, Pair.NOW - 10, Pair.NOW + 600);
        byte[] wrongKey = AES256.clone();
        wrongKey[0] ^= 1;
        assertEquals(RXKADBADTICKET, refusal(sealed(good, wrongKey, 4), KEYS));
        assertEquals(RXKADUNKNOWNKEY, refusal(sealed(good, AES256, 5), KEYS));
        byte[] tampered = sealed(good, AES256, 4);
        tampered[tampered.length - 20] ^= 1;
        assertEquals(RXKADBADTICKET, refusal(tampered, KEYS));
        byte[] whole = sealed(good, AES256, 4);
        for (int cut : new int[] {1, 13, whole.length / 2, whole.length - 2}) {
            assertEquals(RXKADBADTICKET, refusal(Arrays.copyOf(whole, whole.length - cut), KEYS), "cut " + cut);
        }
        assertEquals(
                RXKADEXPIRED,
                refusal(
                        sealed(part(0, "EXAMPLE.TEST", new String[] {"user"}, Pair.NOW - 999, Pair.NOW - 1), AES256, 4),
                        KEYS));
        assertEquals(
                RXKADNOAUTH,
                refusal(
                        sealed(part(0x01, "EXAMPLE.TEST", new String[] {"user"}, Pair.NOW, Pair.NOW + 60), AES256, 4),
                        KEYS));
        assertEquals(
                RXKADBADTICKET,
                refusal(
                        sealed(part(0, "EXAMPLE.TEST", new String[] {"us.er"}, Pair.NOW, Pair.NOW + 60), AES256, 4),
                        KEYS));
        byte[] des3 = DerWriter.ticket("EXAMPLE.TEST", DerWriter.encryptedData(16, 4, new byte[64]));
        assertEquals(RXKADUNKNOWNKEY, refusal(des3, KEYS));
        assertEquals(RXKADBADTICKET, refusal(new byte[] {0x61, (byte) 0x84, 1, 2, 3, 4}, KEYS));
    }
}
