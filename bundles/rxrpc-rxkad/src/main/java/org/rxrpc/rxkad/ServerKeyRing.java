package org.rxrpc.rxkad;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable set of server keys, looked up by kvno (and enctype), as OpenAFS's {@code afsconf_GetKey} /
 * {@code afsconf_GetKeyByTypes} do. Also a {@link ServerKeySource} that never changes. Never prints keys.
 */
public final class ServerKeyRing implements ServerKeySource {
    /** The empty ring: every ticket meets RXKADUNKNOWNKEY. */
    public static final ServerKeyRing EMPTY = new ServerKeyRing(List.of());

    private final List<ServerKey> keys;
    /** DES keys indexed by kvno (OpenAFS kvnos are 0..255 for type 0), for a lookup without allocation. */
    private final ServerKey[] desByKvno = new ServerKey[256];

    public ServerKeyRing(List<ServerKey> keys) {
        this.keys = List.copyOf(keys);
        for (ServerKey k : this.keys) {
            if (k.type() == ServerKey.TYPE_RXKAD && k.kvno() < 256) desByKvno[k.kvno()] = k;
        }
    }

    public List<ServerKey> all() {
        return keys;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The DES key (type 0) of version {@code kvno}, or null. */
    public ServerKey des(int kvno) {
        return kvno >= 0 && kvno < 256 ? desByKvno[kvno] : null;
    }

    /** The Kerberos 5 key (type 2) of version {@code kvno} and enctype {@code enctype}, or null. */
    public ServerKey krb5(int kvno, int enctype) {
        for (ServerKey k : keys) {
            if (k.type() == ServerKey.TYPE_RXKAD_KRB5 && k.kvno() == kvno && k.enctype() == enctype) return k;
        }
        return null;
    }

    /** The DES key with the highest kvno, as {@code afsconf_GetLatestKey} picks for {@code -localauth}; or null. */
    public ServerKey latestDes() {
        for (int kvno = 255; kvno >= 0; kvno--) if (desByKvno[kvno] != null) return desByKvno[kvno];
        return null;
    }

    @Override
    public ServerKeyRing keys() {
        return this;
    }

    /**
     * Keys from properties (Config Admin): {@code key.<kvno> = <16 hex digits>} for DES keys,
     * {@code krb5key.<kvno>.<enctype> = <hex>} for Kerberos 5 keys; other properties are ignored.
     *
     * @throws IllegalArgumentException naming the property (never its value) if one is malformed
     */
    public static ServerKeyRing fromProperties(Map<String, ?> properties) {
        List<ServerKey> keys = new ArrayList<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(properties).entrySet()) {
            String name = e.getKey();
            String[] parts = name.split("\\.");
            try {
                if (parts.length == 2 && parts[0].equals("key")) {
                    keys.add(ServerKey.des(Integer.parseInt(parts[1]), hex(e.getValue(), 8)));
                } else if (parts.length == 3 && parts[0].equals("krb5key")) {
                    keys.add(new ServerKey(
                            ServerKey.TYPE_RXKAD_KRB5,
                            Integer.parseInt(parts[1]),
                            Integer.parseInt(parts[2]),
                            hex(e.getValue(), -1)));
                }
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("property " + name + " is not a key (value not shown): "
                        + "key.<kvno> = 16 hex digits, krb5key.<kvno>.<enctype> = hex");
            }
        }
        return new ServerKeyRing(keys);
    }

    private static byte[] hex(Object value, int length) {
        String s = String.valueOf(value).trim();
        byte[] b = HexFormat.of().parseHex(s);
        if (b.length == 0 || (length > 0 && b.length != length)) throw new IllegalArgumentException();
        return b;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (ServerKey k : keys) names.add("type " + k.type() + " kvno " + k.kvno() + " enctype " + k.enctype());
        Collections.sort(names);
        return "ServerKeyRing" + names + " (keys redacted)";
    }
}
