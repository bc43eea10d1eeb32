package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Our fcrypt, tickets, Kerberos 5 decoding and response checksum against OpenAFS's own code (Debian's
 * libafsrpc.a through src/test/c/rxkad_xcheck.c), byte for byte.
 */
class OpenAfsCrossCheckTest {
    private final SplittableRandom random = new SplittableRandom(2026);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private long desKey() {
        long k;
        do k = DesKeys.withOddParity(random.nextLong());
        while (DesKeys.isWeak(k));
        return k;
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }

    @Test
    void fcryptEcbAndPcbcEqualOpenAfsOnRandomKeysAndData() throws Exception {
        for (int i = 0; i < 12; i++) {
            byte[] key = bytes(8);
            long iv = random.nextLong();
            byte[] data = bytes(8 * (1 + random.nextInt(64)));
            Map<String, String> c = OpenAfsTools.xcheck("fcrypt", Hex.of(key), hex(iv), Hex.of(data));
            Fcrypt f = new Fcrypt(key);
            assertEquals(hex(f.encrypt(Fcrypt.block(data, 0))), c.get("ecb"));
            byte[] ours = data.clone();
            f.encryptPcbc(ours, 0, ours.length, iv);
            assertEquals(Hex.of(ours), c.get("pcbc"));
        }
    }

    @Test
    void ourTicketsAreOpenAfsTicketsByteForByteAndDecodeBothWays() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String[][] principals = {{"admin", "", ""}, {"afs", "", ""}, {"user", "admin", "example.test"}};
        for (String[] who : principals) {
            long key = desKey();
            long session = desKey();
            long start = now - 10;
            long end = start + 3600 * (1 + random.nextInt(20));
            Map<String, String> made = OpenAfsTools.xcheck(
                    "maketicket",
                    hex(key),
                    hex(session),
                    who[0],
                    dash(who[1]),
                    dash(who[2]),
                    String.valueOf(start),
                    String.valueOf(end));
            byte[] ours = DesTicket.make(
                    key,
                    who[0],
                    who[1],
                    who[2],
                    0,
                    session,
                    start,
                    TicketLifetime.encodeOpenAfs(start, end),
                    "afs",
                    "");
            assertEquals(made.get("ticket"), Hex.of(ours), "tkt_MakeTicket and ours");

            Map<String, String> decoded = OpenAfsTools.xcheck("decodeticket", hex(key), Hex.of(ours));
            assertEquals("0", decoded.get("code"));
            assertEquals(who[0], decoded.get("name"));
            assertEquals(who[1], decoded.get("inst"));
            assertEquals(who[2], decoded.get("cell"));
            assertEquals(hex(session), decoded.get("session"));

            TicketContents t = new TicketContents();
            DesTicket.decode(Hex.bytes(made.get("ticket")), 0, ours.length, key, new byte[12000], t);
            assertEquals(who[0], t.name());
            assertEquals(who[2], t.cell());
            assertEquals(session, t.sessionKey());
            assertEquals(Long.parseLong(decoded.get("start")), t.start());
            assertEquals(Long.parseLong(decoded.get("end")), t.end());
        }
    }

    @Test
    void openAfsDecodesOurLocalAuthTokenWithTheLifetimeWeMinted() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        ServerKey key = ServerKey.des(3, Hex.bytes(hex(desKey())));
        Token token = LocalAuth.mint(new ServerKeyRing(List.of(key)), now);
        Map<String, String> d = OpenAfsTools.xcheck("decodeticket", Hex.of(key.key()), Hex.of(token.ticket()));
        assertEquals("0", d.get("code"));
        assertEquals("afs", d.get("name"));
        assertEquals(token.expiresAtSeconds(), Long.parseLong(d.get("end")), "OpenAFS reads the end we announce");
        assertEquals(hex(token.sessionKey()), d.get("session"));
    }

    @Test
    void kerberos5TicketsOfOpenAfsDecodeWithAesKeys() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        for (int enctype : new int[] {17, 18}) {
            byte[] serverKey = bytes(enctype == 17 ? 16 : 32);
            long session = desKey();
            Map<String, String> made = OpenAfsTools.xcheck(
                    "maketicket5",
                    String.valueOf(enctype),
                    Hex.of(serverKey),
                    "5",
                    hex(session),
                    "user",
                    "admin",
                    "EXAMPLE.TEST",
                    String.valueOf(now - 5),
                    String.valueOf(now + 3600));
            assertEquals("213", made.get("kvno"), made.toString());
            byte[] ticket = Hex.bytes(made.get("ticket"));
            ServerKeyRing keys =
                    new ServerKeyRing(List.of(new ServerKey(ServerKey.TYPE_RXKAD_KRB5, 5, enctype, serverKey)));
            TicketContents t = new TicketContents();
            Krb5Ticket.decode(ticket, 0, ticket.length, false, keys, now, true, t);
            assertEquals("user", t.name());
            assertEquals("admin", t.instance());
            assertEquals("EXAMPLE.TEST", t.cell());
            assertEquals(session, t.sessionKey());
            assertEquals(now + 3600, t.end());
        }
    }

    @Test
    void desKeysDerivedFromAesSessionKeysEqualOpenAfs() throws Exception {
        for (int i = 0; i < 4; i++) {
            byte[] k = bytes(i % 2 == 0 ? 16 : 32);
            Map<String, String> c = OpenAfsTools.xcheck("derivedes", i % 2 == 0 ? "17" : "18", Hex.of(k));
            assertEquals(c.get("des"), hex(Krb5Ticket.deriveDesKey(k)));
        }
    }

    @Test
    void responseChecksumEqualsOpenAfs() throws Exception {
        for (int i = 0; i < 8; i++) {
            byte[] r = bytes(56);
            Map<String, String> c = OpenAfsTools.xcheck("cksum", Hex.of(r));
            assertEquals(c.get("cksum"), String.format("%08x", RxkadResponse.checksum(r, 0)));
        }
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
