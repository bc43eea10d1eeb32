package org.rxrpc.vl.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;

/**
 * The sample's volume location database, in memory: entries in creation order, and the server table
 * (1-based): file servers that registered their UUID and addresses, and plain addresses that entries named
 * without a registration, as OpenAFS's vlserver keeps them. Thread-safe.
 */
public final class VolumeDatabase {
    /**
     * A slot of the server table: a registered file server (its UUID and addresses, host byte order), or an
     * address an entry named (uuid null).
     */
    public record FileServer(UUID uuid, int[] addresses) {
        public boolean has(int address) {
            for (int a : addresses) if (a == address) return true;
            return false;
        }
    }

    private final Map<Integer, Nvldbentry> byRwId = new LinkedHashMap<>();
    private final List<FileServer> servers = new ArrayList<>();

    public synchronized void create(Nvldbentry e) {
        String name = e.name();
        if (name.isEmpty() || name.length() >= VlConstants.VL_MAXNAMELEN || name.matches("\\d+")) {
            throw new RxAbortException(VlErrors.VL_BADNAME);
        }
        if (e.nServers() < 0 || e.nServers() > VlConstants.NMAXNSERVERS)
            throw new RxAbortException(VlErrors.VL_BADSERVER);
        for (Nvldbentry old : byRwId.values()) {
            if (old.name().equals(name)) throw new RxAbortException(VlErrors.VL_NAMEEXIST);
            for (int id : e.volumeId()) {
                if (id != 0 && contains(old.volumeId(), id)) throw new RxAbortException(VlErrors.VL_IDEXIST);
            }
        }
        for (int i = 0; i < e.nServers(); i++) server(e.serverNumber()[i]);
        byRwId.put(e.volumeId()[VlConstants.RWVOL], e);
    }

    /** Removes the entry holding volume {@code id} (of any type when {@code type} is -1). */
    public synchronized void delete(int id, int type) {
        byRwId.remove(byId(id, type).volumeId()[VlConstants.RWVOL]);
    }

    public synchronized Nvldbentry byId(int id, int type) {
        if (type < -1 || type >= VlConstants.MAXTYPES) throw new RxAbortException(VlErrors.VL_BADVOLTYPE);
        for (Nvldbentry e : byRwId.values()) {
            for (int t = 0; t < VlConstants.MAXTYPES; t++) {
                if ((type == -1 || type == t) && e.volumeId()[t] == id && id != 0) return e;
            }
        }
        throw new RxAbortException(VlErrors.VL_NOENT);
    }

    /** By name; ".readonly" and ".backup" name the same entry; a decimal number is a volume id. */
    public synchronized Nvldbentry byName(String name) {
        if (name.matches("\\d+")) return byId((int) Long.parseLong(name), -1);
        String base = name.replaceFirst("\\.(readonly|backup)$", "");
        for (Nvldbentry e : byRwId.values()) {
            if (e.name().equals(base)) return e;
        }
        throw new RxAbortException(VlErrors.VL_NOENT);
    }

    /** The entries in creation order. */
    public synchronized List<Nvldbentry> entries() {
        return List.copyOf(byRwId.values());
    }

    /** The server table, in index order (index 1 first). */
    public synchronized List<FileServer> servers() {
        return List.copyOf(servers);
    }

    /** A file server's registration: replaces its earlier one, and takes over slots of its addresses. */
    public synchronized void register(UUID uuid, int[] addresses) {
        int at = -1;
        for (int i = 0; i < servers.size(); i++) {
            FileServer s = servers.get(i);
            boolean mine = uuid.equals(s.uuid()) || (s.uuid() == null && overlaps(s.addresses(), addresses));
            if (mine && at < 0) at = i;
            else if (mine) servers.remove(i--);
        }
        FileServer s = new FileServer(uuid, addresses.clone());
        if (at < 0) servers.add(s);
        else servers.set(at, s);
    }

    /** The slot of an address an entry names, made when no server has it. */
    private void server(int address) {
        for (FileServer s : servers) {
            if (s.has(address)) return;
        }
        servers.add(new FileServer(null, new int[] {address}));
    }

    private static boolean overlaps(int[] a, int[] b) {
        for (int x : a) if (contains(b, x)) return true;
        return false;
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) if (x == id) return true;
        return false;
    }
}
