package org.rxrpc.rxkad;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One server key: its type as OpenAFS's key files number it (0 rxkad DES in {@code KeyFile}, 2 rxkad_krb5
 * with a Kerberos enctype as subtype, in {@code KeyFileExt} or {@code rxkad.keytab}; 1, rxgk, is kept for
 * that class), its key version number, its enctype (0 for a plain DES key) and the key bytes.
 * {@link #toString()} never shows the key.
 */
public final class ServerKey {
    /** Key type 0: an 8-byte DES key for Kerberos 4 style tickets. */
    public static final int TYPE_RXKAD = 0;
    /** Key type 1: rxgk keys (not used by rxkad). */
    public static final int TYPE_RXGK = 1;
    /** Key type 2: a Kerberos 5 key for rxkad Kerberos 5 tickets; the subtype is its enctype. */
    public static final int TYPE_RXKAD_KRB5 = 2;

    private final int type;
    private final int kvno;
    private final int enctype;
    private final byte[] key;

    public ServerKey(int type, int kvno, int enctype, byte[] key) {
        if (type == TYPE_RXKAD && key.length != 8) {
            throw new IllegalArgumentException("an rxkad DES key is 8 bytes, not " + key.length);
        }
        if (kvno < 0) throw new IllegalArgumentException("kvno must not be negative: " + kvno);
        this.type = type;
        this.kvno = kvno;
        this.enctype = enctype;
        this.key = key.clone();
    }

    /** An rxkad DES key (type 0) of version {@code kvno}. */
    public static ServerKey des(int kvno, byte[] key) {
        return new ServerKey(TYPE_RXKAD, kvno, 0, key);
    }

    public int type() {
        return type;
    }

    public int kvno() {
        return kvno;
    }

    /** The Kerberos enctype (e.g. 17 aes128-cts-hmac-sha1-96, 18 aes256-cts-hmac-sha1-96); 0 for DES type 0. */
    public int enctype() {
        return enctype;
    }

    /** A copy of the key bytes. */
    public byte[] key() {
        return key.clone();
    }

    /** The DES key as a big-endian long (type 0 only). */
    long desKey() {
        return Fcrypt.block(key, 0);
    }

    byte[] keyBytes() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKey
                && ((ServerKey) o).type == type
                && ((ServerKey) o).kvno == kvno
                && ((ServerKey) o).enctype == enctype
                && MessageDigest.isEqual(((ServerKey) o).key, key);
    }

    @Override
    public int hashCode() {
        return (type * 31 + kvno) * 31 + enctype;
    }

    @Override
    public String toString() {
        return "ServerKey[type " + type + ", kvno " + kvno + ", enctype " + enctype + ", " + key.length
                + " bytes redacted]";
    }

    /** Overwrites this key's bytes (after it was replaced). */
    void destroy() {
        Arrays.fill(key, (byte) 0);
    }
}
