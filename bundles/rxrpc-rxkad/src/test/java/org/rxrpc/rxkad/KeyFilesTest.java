package org.rxrpc.rxkad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server keys: KeyFile, KeyFileExt and rxkad.keytab as OpenAFS writes them (the first also by the real
 * {@code asetkey}, in {@link AsetkeyKeyFileTest}), properties, rotation without a restart, and no key in
 * any text.
 */
class KeyFilesTest {
    @TempDir
    Path dir;

    static byte[] keyFile(int[] kvnos, String... hexKeys) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(kvnos.length);
        for (int i = 0; i < kvnos.length; i++) {
            d.writeInt(kvnos[i]);
            d.write(Hex.bytes(hexKeys[i]));
        }
        return b.toByteArray();
    }

    static byte[] keyFileExt(int type, int kvno, int subtype, byte[] key) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(1);
        d.writeInt(20); // meta-data length 16 plus a field from the future, skipped
        d.writeInt(type);
        d.writeInt(kvno);
        d.writeInt(subtype);
        d.writeInt(0xABCD);
        d.writeInt(key.length);
        d.write(key);
        return b.toByteArray();
    }

    static byte[] keytab(String principal, String realm, int kvno, int enctype, byte[] key) throws IOException {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        DataOutputStream e = new DataOutputStream(entry);
        String[] parts = principal.split("/");
        e.writeShort(parts.length);
        counted(e, realm);
        for (String p : parts) counted(e, p);
        e.writeInt(1); // KRB5_NT_PRINCIPAL
        e.writeInt(1_700_000_000);
        e.writeByte(kvno & 0xFF);
        e.writeShort(enctype);
        e.writeShort(key.length);
        e.write(key);
        e.writeInt(kvno);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeShort(0x0502);
        d.writeInt(-12); // a hole left by a deleted entry
        d.write(new byte[12]);
        d.writeInt(entry.size());
        d.write(entry.toByteArray());
        return b.toByteArray();
    }

    private static void counted(DataOutputStream e, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        e.writeShort(b.length);
        e.write(b);
    }

    @Test
    void allThreeFilesOfAConfigFolderAreRead() throws Exception {
        Files.write(dir.resolve("KeyFile"), keyFile(new int[] {3, 4}, "0123456789abcdef", "fedcba9876543210"));
        byte[] aes = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        Files.write(dir.resolve("KeyFileExt"), keyFileExt(ServerKey.TYPE_RXKAD_KRB5, 9, 18, aes));
        Files.write(dir.resolve("rxkad.keytab"), keytab("afs/example.test", "EXAMPLE.TEST", 300, 17, new byte[16]));
        ServerKeyRing keys = OpenAfsKeyFolder.open(dir).keys();
        assertArrayEquals(Hex.bytes("fedcba9876543210"), keys.des(4).key());
        assertEquals(4, keys.latestDes().kvno());
        assertArrayEquals(aes, keys.krb5(9, 18).key());
        assertEquals(16, keys.krb5(300, 17).key().length);
        assertNull(keys.des(5));
    }

    @Test
    void truncatedOrHostileFilesAreRefusedByNameNotBlindlyRead() throws Exception {
        byte[] good = keyFile(new int[] {3}, "0123456789abcdef");
        assertThrows(IOException.class, () -> OpenAfsKeyFiles.keyFile(java.util.Arrays.copyOf(good, 10)));
        assertThrows(IOException.class, () -> OpenAfsKeyFiles.keyFile(new byte[] {0x7f, 0, 0, 0}));
        byte[] ext = keyFileExt(2, 1, 18, new byte[32]);
        ext[7] = 8; // meta-data length 8 < 16
        assertThrows(IOException.class, () -> OpenAfsKeyFiles.keyFileExt(ext));
        assertThrows(IOException.class, () -> OpenAfsKeyFiles.keytab(new byte[] {5, 1}));
    }

    @Test
    void rotationInTheFolderIsSeenWithoutARestart() throws Exception {
        Path keyFile = dir.resolve("KeyFile");
        Files.write(keyFile, keyFile(new int[] {3}, "0123456789abcdef"));
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.watch(dir, Duration.ofMillis(20))) {
            assertEquals(3, folder.keys().latestDes().kvno());
            Files.write(keyFile, keyFile(new int[] {3, 4}, "0123456789abcdef", "fedcba9876543210"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (folder.keys().des(4) == null && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(4, folder.keys().latestDes().kvno());
            Files.write(keyFile, new byte[] {0, 0, 0, 9}); // broken: the old keys stay
            Thread.sleep(200);
            assertEquals(4, folder.keys().latestDes().kvno());
        }
    }

    @Test
    void aServerVerifiesWithTheRotatedKeyAtOnce() throws Exception {
        Path keyFile = dir.resolve("KeyFile");
        Files.write(keyFile, keyFile(new int[] {3}, "0123456789abcdef"));
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(dir)) {
            RxkadServerSecurity server =
                    RxkadServerSecurity.builder(folder).clock(() -> Pair.NOW).build();
            ServerKey next = ServerKey.des(4, Hex.bytes("fedcba9876543210"));
            Token token = LocalAuth.mint(next, "admin", "", "", Pair.NOW, 600);
            Pair before = new Pair(server, Pair.client(token, 1));
            assertThrows(
                    org.rxrpc.security.SecurityFailure.class, () -> before.server.verifyResponse(before.response()));
            Files.write(keyFile, keyFile(new int[] {3, 4}, "0123456789abcdef", "fedcba9876543210"));
            assertTrue(folder.reloadIfChanged());
            assertFalse(folder.reloadIfChanged());
            new Pair(server, Pair.client(token, 1)).authenticated();
        }
    }

    @Test
    void keysFromPropertiesAndNoKeyInAnyText() {
        ServerKeyRing ring = ServerKeyRing.fromProperties(
                Map.of("key.3", "0123456789abcdef", "krb5key.4.18", "00".repeat(32), "configFolder", "/nowhere"));
        assertEquals(3, ring.des(3).kvno());
        assertEquals(32, ring.krb5(4, 18).key().length);
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class, () -> ServerKeyRing.fromProperties(Map.of("key.3", "0123secret")));
        assertFalse(bad.getMessage().contains("secret"));
        Token token = LocalAuth.mint(ring, Pair.NOW);
        for (Object o : List.of(ring, ring.des(3), token, new Fcrypt(0x0123456789abcdefL), Pair.server(0))) {
            String text = o.toString();
            assertFalse(text.toLowerCase().contains("0123456789abcdef"), text);
            assertFalse(text.contains(Long.toHexString(token.sessionKey())), text);
            assertFalse(text.contains(Hex.of(token.ticket())), text);
        }
    }
}
