package org.rxrpc.rxkad;

import static org.rxrpc.security.SecurityAbortCodes.RXKADBADKEY;
import static org.rxrpc.security.SecurityAbortCodes.RXKADBADTICKET;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.rxrpc.security.SecurityFailure;

/**
 * The DES-sealed ticket of OpenAFS's {@code tkt_MakeTicket} / {@code tkt_DecodeTicket} (a Kerberos 4
 * ticket): {flags, name, instance, cell, host, session key, life, start, service name, service instance},
 * strings NUL-terminated, padded with zeros to 8 bytes, DES-PCBC-encrypted with the server key as key and
 * IV. DES is the JDK's ({@code DES/PCBC/NoPadding}).
 */
public final class DesTicket {
    private DesTicket() {}

    /** OpenAFS MINKTCTICKETLEN and MAXKTCTICKETLEN. */
    public static final int MIN_LENGTH = 32;

    public static final int MAX_LENGTH = 12000;

    static final SecurityFailure BAD_KEY = new SecurityFailure(RXKADBADKEY, "server key has bad parity or is weak");
    static final SecurityFailure BAD_LENGTH =
            new SecurityFailure(RXKADBADTICKET, "ticket length not a multiple of 8 in 32..12000");
    static final SecurityFailure MALFORMED = new SecurityFailure(RXKADBADTICKET, "ticket does not decode");
    private static final SecurityFailure NO_DES = new SecurityFailure(RXKADBADTICKET, "DES unavailable in this JVM");

    private static final ThreadLocal<KeyedCipher> DES = ThreadLocal.withInitial(KeyedCipher::new);

    /**
     * A thread's DES-PCBC cipher and the key and direction it was last initialised with: a cipher resets to
     * that state after doFinal, so tickets under the same server key decrypt without a new init (whose key
     * specs and key schedule are what allocates).
     */
    private static final class KeyedCipher {
        final Cipher cipher = newCipher();
        long key;
        int mode = -1;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("DES/PCBC/NoPadding");
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static void pcbc(int mode, long key, byte[] in, int off, int len, byte[] out) throws SecurityFailure {
        KeyedCipher kc = DES.get();
        Cipher cipher = kc.cipher;
        if (cipher == null) throw NO_DES;
        try {
            if (kc.mode != mode || kc.key != key) {
                kc.mode = -1;
                byte[] k = new byte[8];
                Fcrypt.putBlock(k, 0, key);
                cipher.init(mode, new SecretKeySpec(k, "DES"), new IvParameterSpec(k));
                kc.key = key;
                kc.mode = mode;
            }
            cipher.doFinal(in, off, len, out, 0);
        } catch (GeneralSecurityException e) {
            kc.mode = -1; // a failed doFinal leaves the cipher in no known state
            throw MALFORMED;
        }
    }

    /**
     * Decrypts and decodes a ticket sealed with {@code serverKey} into {@code out}, with {@code plain} (at
     * least {@code length} bytes) as scratch. Times are not checked here.
     *
     * @throws SecurityFailure RXKADBADKEY for a key with bad parity or a weak key, RXKADBADTICKET for a
     *     ticket that does not decode (wrong key, bad length, a string past the end or too long)
     */
    public static void decode(byte[] ticket, int off, int length, long serverKey, byte[] plain, TicketContents out)
            throws SecurityFailure {
        if (length < MIN_LENGTH || length > MAX_LENGTH || (length & 7) != 0) throw BAD_LENGTH;
        if (!DesKeys.hasOddParity(serverKey) || DesKeys.isWeak(serverKey)) throw BAD_KEY;
        pcbc(Cipher.DECRYPT_MODE, serverKey, ticket, off, length, plain);
        out.clear();
        boolean littleEndian = (plain[0] & 1) != 0;
        int p = 1;
        p = component(plain, p, length, 1, out.name);
        out.nameLength = p - 1 - 1;
        int q = component(plain, p, length, 0, out.instance);
        out.instanceLength = q - p - 1;
        p = component(plain, q, length, 0, out.cell);
        out.cellLength = p - q - 1;
        if (p + 4 + 8 + 1 + 4 > length) throw MALFORMED;
        out.host = word(plain, p, littleEndian);
        out.sessionKey = Fcrypt.block(plain, p + 4);
        int life = plain[p + 12] & 0xFF;
        out.start = word(plain, p + 13, littleEndian) & 0xFFFFFFFFL;
        out.end = TicketLifetime.endOpenAfs(out.start, life);
        p += 17;
        p = component(plain, p, length, 1, null);
        p = component(plain, p, length, 0, null);
        if (((p + 7) & ~7) != length && length != 56) throw MALFORMED;
    }

    /** Copies the NUL-terminated string at {@code p} into {@code into}; returns the offset after its NUL. */
    private static int component(byte[] b, int p, int end, int minLength, byte[] into) throws SecurityFailure {
        int i = p;
        while (i < end && b[i] != 0) i++;
        int n = i - p;
        if (i >= end || n < minLength || n >= TicketContents.MAX_COMPONENT) throw MALFORMED;
        if (into != null) System.arraycopy(b, p, into, 0, n);
        return i + 1;
    }

    private static int word(byte[] b, int p, boolean littleEndian) {
        int be = (int) RxkadConnection.INT_BE.get(b, p);
        return littleEndian ? Integer.reverseBytes(be) : be;
    }

    /**
     * Makes a ticket as {@code tkt_MakeTicket} does (flags 0: network byte order).
     *
     * @param life the lifetime byte ({@link TicketLifetime})
     * @throws IllegalArgumentException for a name that is empty or 64 bytes or longer, or a bad server key
     */
    public static byte[] make(
            long serverKey,
            String name,
            String instance,
            String cell,
            int host,
            long sessionKey,
            long start,
            int life,
            String serviceName,
            String serviceInstance) {
        if (!DesKeys.hasOddParity(serverKey) || DesKeys.isWeak(serverKey)) {
            throw new IllegalArgumentException("server key has bad parity or is weak");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        b.write(0);
        put(b, name, 1);
        put(b, instance, 0);
        put(b, cell, 0);
        byte[] tail = new byte[17];
        RxkadConnection.INT_BE.set(tail, 0, host);
        Fcrypt.putBlock(tail, 4, sessionKey);
        tail[12] = (byte) life;
        RxkadConnection.INT_BE.set(tail, 13, (int) start);
        b.writeBytes(tail);
        put(b, serviceName, 1);
        put(b, serviceInstance, 0);
        int length = Math.max(MIN_LENGTH, (b.size() + 7) & ~7);
        byte[] ticket = new byte[length];
        byte[] clear = b.toByteArray();
        System.arraycopy(clear, 0, ticket, 0, clear.length);
        try {
            pcbc(Cipher.ENCRYPT_MODE, serverKey, ticket, 0, length, ticket);
        } catch (SecurityFailure e) {
            throw new IllegalStateException(e.getMessage());
        }
        return ticket;
    }

    private static void put(ByteArrayOutputStream b, String s, int minLength) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < minLength || bytes.length >= TicketContents.MAX_COMPONENT) {
            throw new IllegalArgumentException("ticket name component must be " + minLength + ".."
                    + (TicketContents.MAX_COMPONENT - 1) + " bytes: '" + s + "'");
        }
        b.writeBytes(bytes);
        b.write(0);
    }
}
