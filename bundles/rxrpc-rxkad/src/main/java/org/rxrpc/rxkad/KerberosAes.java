package org.rxrpc.rxkad;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Kerberos 5 encryption with aes128-cts-hmac-sha1-96 (enctype 17) and aes256-cts-hmac-sha1-96 (18): RFC
 * 3961's simplified profile (key derivation with n-fold, a 16-byte confounder, HMAC-SHA1 truncated to 96
 * bits) over RFC 3962's AES in CBC with ciphertext stealing (the last two blocks swapped), IV 0. On the
 * JDK's AES and HmacSHA1.
 */
final class KerberosAes {
    private KerberosAes() {}

    static final int AES128 = 17;
    static final int AES256 = 18;
    static final int BLOCK = 16;
    static final int MAC = 12;

    static boolean supports(int enctype) {
        return enctype == AES128 || enctype == AES256;
    }

    static int keyLength(int enctype) {
        return enctype == AES128 ? 16 : 32;
    }

    /** Decrypts {@code cipher} made with key usage {@code usage}; null if its checksum does not match. */
    static byte[] decrypt(byte[] key, int usage, byte[] in, int off, int length) throws GeneralSecurityException {
        if (length < BLOCK + MAC) return null;
        byte[] ke = derive(key, usage, 0xAA);
        byte[] ki = derive(key, usage, 0x55);
        byte[] plain = ctsDecrypt(ke, in, off, length - MAC);
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(ki, "HmacSHA1"));
        byte[] mac = Arrays.copyOf(hmac.doFinal(plain), MAC);
        if (!MessageDigest.isEqual(mac, Arrays.copyOfRange(in, off + length - MAC, off + length))) return null;
        return Arrays.copyOfRange(plain, BLOCK, plain.length);
    }

    /** Encrypts {@code plain} with key usage {@code usage} and the given 16-byte confounder. */
    static byte[] encrypt(byte[] key, int usage, byte[] confounder, byte[] plain) throws GeneralSecurityException {
        byte[] ke = derive(key, usage, 0xAA);
        byte[] ki = derive(key, usage, 0x55);
        byte[] data = new byte[BLOCK + plain.length];
        System.arraycopy(confounder, 0, data, 0, BLOCK);
        System.arraycopy(plain, 0, data, BLOCK, plain.length);
        byte[] cipher = ctsEncrypt(ke, data);
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(ki, "HmacSHA1"));
        byte[] out = Arrays.copyOf(cipher, cipher.length + MAC);
        System.arraycopy(hmac.doFinal(data), 0, out, cipher.length, MAC);
        return out;
    }

    /** DK(key, usage | kind): the derived key of RFC 3961 section 5.1 (random-to-key is the identity for AES). */
    static byte[] derive(byte[] key, int usage, int kind) throws GeneralSecurityException {
        byte[] constant = {(byte) (usage >>> 24), (byte) (usage >>> 16), (byte) (usage >>> 8), (byte) usage, (byte) kind
        };
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        byte[] out = new byte[key.length];
        byte[] block = nfold(constant, BLOCK);
        for (int have = 0; have < out.length; have += BLOCK) {
            block = aes.doFinal(block);
            System.arraycopy(block, 0, out, have, Math.min(BLOCK, out.length - have));
        }
        return out;
    }

    /**
     * n-fold (RFC 3961 section 5.1): the input repeated to the least common multiple of both lengths, each
     * copy rotated right 13 bits more than the one before, the pieces of the output's length added with
     * end-around carry.
     */
    static byte[] nfold(byte[] in, int outLength) {
        int inBits = in.length * 8;
        int lcm = in.length / gcd(in.length, outLength) * outLength;
        int[] sum = new int[outLength];
        for (int i = 0; i < lcm; i++) {
            int rotation = 13 * (i / in.length);
            int bitStart = (i % in.length) * 8 - rotation;
            int v = 0;
            for (int k = 0; k < 8; k++) {
                int bit = Math.floorMod(bitStart + k, inBits);
                v = (v << 1) | ((in[bit >>> 3] >>> (7 - (bit & 7))) & 1);
            }
            sum[i % outLength] += v;
        }
        boolean carried = true;
        while (carried) {
            carried = false;
            int carry = 0;
            for (int i = outLength - 1; i >= 0; i--) {
                int v = sum[i] + carry;
                sum[i] = v & 0xFF;
                carry = v >>> 8;
            }
            if (carry != 0) {
                sum[outLength - 1] += carry;
                carried = true;
            }
        }
        byte[] out = new byte[outLength];
        for (int i = 0; i < outLength; i++) out[i] = (byte) sum[i];
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** AES-CBC with ciphertext stealing, IV 0 (RFC 3962): a single block is plain ECB. */
    static byte[] ctsEncrypt(byte[] key, byte[] plain) throws GeneralSecurityException {
        if (plain.length < BLOCK) throw new GeneralSecurityException("CTS needs at least one block");
        Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        cbc.init(
                Cipher.ENCRYPT_MODE,
                new SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(new byte[BLOCK]));
        if (plain.length == BLOCK) return cbc.doFinal(plain);
        int blocks = (plain.length + BLOCK - 1) / BLOCK;
        byte[] padded = Arrays.copyOf(plain, blocks * BLOCK);
        byte[] c = cbc.doFinal(padded);
        int tail = plain.length - (blocks - 1) * BLOCK;
        byte[] out = new byte[plain.length];
        System.arraycopy(c, 0, out, 0, (blocks - 2) * BLOCK);
        System.arraycopy(c, (blocks - 1) * BLOCK, out, (blocks - 2) * BLOCK, BLOCK);
        System.arraycopy(c, (blocks - 2) * BLOCK, out, (blocks - 1) * BLOCK, tail);
        return out;
    }

    static byte[] ctsDecrypt(byte[] key, byte[] in, int off, int length) throws GeneralSecurityException {
        if (length < BLOCK) throw new GeneralSecurityException("CTS needs at least one block");
        SecretKeySpec k = new SecretKeySpec(key, "AES");
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.DECRYPT_MODE, k);
        if (length == BLOCK) return ecb.doFinal(in, off, BLOCK);
        int blocks = (length + BLOCK - 1) / BLOCK;
        int tail = length - (blocks - 1) * BLOCK;
        int last2 = off + (blocks - 2) * BLOCK; // the full block sent second to last (the real last block)
        byte[] x = ecb.doFinal(in, last2, BLOCK);
        byte[] cPrev = new byte[BLOCK]; // the real second-to-last ciphertext block: the tail, then x's rest
        System.arraycopy(in, last2 + BLOCK, cPrev, 0, tail);
        System.arraycopy(x, tail, cPrev, tail, BLOCK - tail);
        byte[] out = new byte[length];
        for (int i = 0; i < tail; i++) out[(blocks - 1) * BLOCK + i] = (byte) (x[i] ^ cPrev[i]);
        // CBC over the first blocks - 2 ciphertext blocks, then cPrev.
        byte[] chain = new byte[(blocks - 1) * BLOCK];
        System.arraycopy(in, off, chain, 0, (blocks - 2) * BLOCK);
        System.arraycopy(cPrev, 0, chain, (blocks - 2) * BLOCK, BLOCK);
        Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        cbc.init(Cipher.DECRYPT_MODE, k, new javax.crypto.spec.IvParameterSpec(new byte[BLOCK]));
        byte[] head = cbc.doFinal(chain);
        System.arraycopy(head, 0, out, 0, head.length);
        return out;
    }
}
