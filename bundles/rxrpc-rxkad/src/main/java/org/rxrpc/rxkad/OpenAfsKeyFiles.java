package org.rxrpc.rxkad;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsers of the three key files of an OpenAFS server configuration folder (formats from OpenAFS
 * src/auth/keys.c and MIT Kerberos's keytab): {@code KeyFile} (DES keys, type 0), {@code KeyFileExt}
 * (typed keys) and {@code rxkad.keytab} (a keytab of Kerberos 5 keys, used as type 2). A malformed file
 * is an IOException naming the file and the fault, never a key.
 */
final class OpenAfsKeyFiles {
    private OpenAfsKeyFiles() {}

    /** More entries than any real file holds (OpenAFS keeps 8 rxkad kvnos): a bound against a hostile count. */
    private static final int MAX_ENTRIES = 4096;

    /** {@code KeyFile}: count, then per key {kvno, 8 key bytes}, all big-endian. */
    static List<ServerKey> keyFile(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        List<ServerKey> keys = new ArrayList<>();
        try {
            int n = count(b.getInt());
            for (int i = 0; i < n; i++) {
                int kvno = b.getInt();
                byte[] key = new byte[8];
                b.get(key);
                keys.add(ServerKey.des(kvno, key));
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("KeyFile is truncated");
        } catch (IllegalArgumentException e) {
            throw new IOException("KeyFile has a bad entry: " + e.getMessage());
        }
        return keys;
    }

    /**
     * {@code KeyFileExt}: count, then per key {meta-data length (16 or more), type, kvno, subtype, any
     * further meta-data, key length, key bytes}.
     */
    static List<ServerKey> keyFileExt(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        List<ServerKey> keys = new ArrayList<>();
        try {
            int n = count(b.getInt());
            for (int i = 0; i < n; i++) {
                int metaLength = b.getInt();
                if (metaLength < 16 || metaLength - 16 > b.remaining())
                    throw new IOException("KeyFileExt record " + i + " has a bad meta-data length");
                int type = b.getInt();
                int kvno = b.getInt();
                int subType = b.getInt();
                b.position(b.position() + metaLength - 16);
                int keyLength = b.getInt();
                if (keyLength < 0 || keyLength > b.remaining())
                    throw new IOException("KeyFileExt record " + i + " has a bad key length");
                byte[] key = new byte[keyLength];
                b.get(key);
                keys.add(new ServerKey(type, kvno, subType, key));
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("KeyFileExt is truncated");
        } catch (IllegalArgumentException e) {
            throw new IOException("KeyFileExt has a bad entry: " + e.getMessage());
        }
        return keys;
    }

    /**
     * A keytab (version 0x0502, big-endian): per entry {size (negative: a hole), component count, realm,
     * components, name type, timestamp, 8-bit kvno, enctype, key, and a 32-bit kvno if room remains}.
     * Each entry becomes a type-2 key.
     */
    static List<ServerKey> keytab(byte[] file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(file);
        List<ServerKey> keys = new ArrayList<>();
        try {
            if (b.getShort() != 0x0502) throw new IOException("rxkad.keytab is not a version 0x0502 keytab");
            while (b.remaining() >= 4) {
                int size = b.getInt();
                if (size < 0) {
                    if (-size > b.remaining()) throw new IOException("rxkad.keytab has a hole past its end");
                    b.position(b.position() - size);
                    continue;
                }
                if (size == 0 || size > b.remaining()) throw new IOException("rxkad.keytab entry has a bad size");
                ByteBuffer e = b.slice(b.position(), size);
                b.position(b.position() + size);
                int components = e.getShort() & 0xFFFF;
                skipCounted(e); // realm
                for (int i = 0; i < components; i++) skipCounted(e);
                e.getInt(); // name type
                e.getInt(); // timestamp
                int kvno = e.get() & 0xFF;
                int enctype = e.getShort() & 0xFFFF;
                int keyLength = e.getShort() & 0xFFFF;
                if (keyLength > e.remaining()) throw new IOException("rxkad.keytab key past its entry");
                byte[] key = new byte[keyLength];
                e.get(key);
                if (e.remaining() >= 4) {
                    int kvno32 = e.getInt();
                    if (kvno32 != 0) kvno = kvno32;
                }
                keys.add(new ServerKey(ServerKey.TYPE_RXKAD_KRB5, kvno, enctype, key));
                if (keys.size() > MAX_ENTRIES) throw new IOException("rxkad.keytab has too many entries");
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IOException("rxkad.keytab is truncated");
        } catch (IllegalArgumentException e) {
            throw new IOException("rxkad.keytab has a bad entry: " + e.getMessage());
        }
        return keys;
    }

    private static void skipCounted(ByteBuffer e) {
        int n = e.getShort() & 0xFFFF;
        e.position(e.position() + n);
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > MAX_ENTRIES) throw new IOException("key count out of range: " + n);
        return n;
    }
}
