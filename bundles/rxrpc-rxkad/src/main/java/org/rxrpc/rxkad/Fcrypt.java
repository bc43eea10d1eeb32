package org.rxrpc.rxkad;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * fcrypt, the 64-bit block cipher of rxkad (16-round Feistel network, 56-bit key), with the modes rxkad
 * uses: ECB, CBC and PCBC. PCBC is what OpenAFS's {@code fc_cbc_encrypt} really does (the chaining value
 * is plaintext XOR ciphertext) and what Linux names {@code pcbc(fcrypt)}: the sealed response, the crypt
 * level and the checksum key. Blocks are big-endian 64-bit values; the modes work in place on byte
 * arrays, lengths a multiple of 8. One instance holds one key schedule; not thread-safe to re-key while in
 * use, but encrypting with a fixed key from several threads is safe. Allocates nothing after construction.
 */
public final class Fcrypt {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The round function's S-box lookups with the output permutation (the rotation by 5) folded in. */
    private static final int[] T0 = table(FcryptSboxes.SBOX0, 8);

    private static final int[] T1 = table(FcryptSboxes.SBOX1, 0);
    private static final int[] T2 = table(FcryptSboxes.SBOX2, 16);
    private static final int[] T3 = table(FcryptSboxes.SBOX3, 24);

    private static final int ROUNDS = 16;

    private final int[] schedule = new int[ROUNDS];

    /** A cipher with the given 8-byte key. */
    public Fcrypt(byte[] key) {
        setKey(key, 0);
    }

    /** A cipher with the 8-byte key {@code key} (big-endian). */
    public Fcrypt(long key) {
        setKey(key);
    }

    private static int[] table(String sboxHex, int shift) {
        int[] t = new int[256];
        for (int x = 0; x < 256; x++) {
            int s = Integer.parseInt(sboxHex.substring(2 * x, 2 * x + 2), 16);
            t[x] = Integer.rotateRight(s << shift, 5);
        }
        return t;
    }

    /** Re-keys from {@code key[off .. off+8)}. */
    public void setKey(byte[] key, int off) {
        setKey((long) LONG_BE.get(key, off));
    }

    /**
     * Re-keys: the 56 key bits are the top 7 bits of each byte (the DES parity bits are dropped); each
     * round key is the low 32 bits of that 56-bit value, rotated right by 11 bits between rounds.
     */
    public void setKey(long key) {
        long k = 0;
        for (int i = 7; i >= 0; i--) {
            k = (k << 7) | ((key >>> (8 * i + 1)) & 0x7F);
        }
        for (int i = 0; i < ROUNDS; i++) {
            schedule[i] = (int) k;
            k = (k >>> 11) | ((k & 0x7FF) << 45);
        }
    }

    private static int f(int s) {
        return T0[s >>> 24] ^ T1[(s >>> 16) & 0xFF] ^ T2[(s >>> 8) & 0xFF] ^ T3[s & 0xFF];
    }

    /** Encrypts one block. */
    public long encrypt(long block) {
        int l = (int) (block >>> 32);
        int r = (int) block;
        int[] k = schedule;
        for (int i = 0; i < ROUNDS; i += 2) {
            l ^= f(k[i] ^ r);
            r ^= f(k[i + 1] ^ l);
        }
        return ((long) l << 32) | (r & 0xFFFFFFFFL);
    }

    /** Decrypts one block. */
    public long decrypt(long block) {
        int l = (int) (block >>> 32);
        int r = (int) block;
        int[] k = schedule;
        for (int i = ROUNDS - 1; i > 0; i -= 2) {
            r ^= f(k[i] ^ l);
            l ^= f(k[i - 1] ^ r);
        }
        return ((long) l << 32) | (r & 0xFFFFFFFFL);
    }

    /** Reads the big-endian block at {@code b[off]}. */
    public static long block(byte[] b, int off) {
        return (long) LONG_BE.get(b, off);
    }

    /** Writes {@code v} as a big-endian block at {@code b[off]}. */
    public static void putBlock(byte[] b, int off, long v) {
        LONG_BE.set(b, off, v);
    }

    private static void checkLength(byte[] b, int off, int len) {
        if ((len & 7) != 0 || off < 0 || len < 0 || off + len > b.length) {
            throw new IllegalArgumentException("fcrypt works on whole 8-byte blocks inside the array: offset " + off
                    + ", length " + len + ", array " + b.length);
        }
    }

    /** ECB: encrypts each block of {@code b[off .. off+len)} in place. */
    public void encryptEcb(byte[] b, int off, int len) {
        checkLength(b, off, len);
        for (int p = off, end = off + len; p < end; p += 8) putBlock(b, p, encrypt(block(b, p)));
    }

    /** ECB: decrypts each block in place. */
    public void decryptEcb(byte[] b, int off, int len) {
        checkLength(b, off, len);
        for (int p = off, end = off + len; p < end; p += 8) putBlock(b, p, decrypt(block(b, p)));
    }

    /** CBC: encrypts in place from {@code iv}; returns the chaining value to continue with. */
    public long encryptCbc(byte[] b, int off, int len, long iv) {
        checkLength(b, off, len);
        long chain = iv;
        for (int p = off, end = off + len; p < end; p += 8) {
            chain = encrypt(block(b, p) ^ chain);
            putBlock(b, p, chain);
        }
        return chain;
    }

    /** CBC: decrypts in place from {@code iv}; returns the chaining value to continue with. */
    public long decryptCbc(byte[] b, int off, int len, long iv) {
        checkLength(b, off, len);
        long chain = iv;
        for (int p = off, end = off + len; p < end; p += 8) {
            long c = block(b, p);
            putBlock(b, p, decrypt(c) ^ chain);
            chain = c;
        }
        return chain;
    }

    /** PCBC: encrypts in place from {@code iv}; returns the chaining value (plain XOR cipher of the last block). */
    public long encryptPcbc(byte[] b, int off, int len, long iv) {
        checkLength(b, off, len);
        long chain = iv;
        for (int p = off, end = off + len; p < end; p += 8) {
            long plain = block(b, p);
            long cipher = encrypt(plain ^ chain);
            putBlock(b, p, cipher);
            chain = plain ^ cipher;
        }
        return chain;
    }

    /** PCBC: decrypts in place from {@code iv}; returns the chaining value to continue with. */
    public long decryptPcbc(byte[] b, int off, int len, long iv) {
        checkLength(b, off, len);
        long chain = iv;
        for (int p = off, end = off + len; p < end; p += 8) {
            long cipher = block(b, p);
            long plain = decrypt(cipher) ^ chain;
            putBlock(b, p, plain);
            chain = plain ^ cipher;
        }
        return chain;
    }

    /** Forgets the key schedule. */
    public void destroy() {
        Arrays.fill(schedule, 0);
    }

    @Override
    public String toString() {
        return "Fcrypt[key redacted]";
    }
}
