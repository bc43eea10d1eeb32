package org.rxrpc.vl.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.vl.sample.gen.ListAddrByAttributes;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.VLCallBack;
import org.rxrpc.vl.sample.gen.Vl;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;
import org.rxrpc.vl.sample.gen.VlService;
import org.rxrpc.vl.sample.gen.VldbListByAttributes;
import org.rxrpc.xdr.ServerCall;

/**
 * The VL procedures of vl.xg answered from a {@link VolumeDatabase}, as OpenAFS's vlserver answers them: reads
 * for anyone, writes (CreateEntryN, DeleteEntry, RegisterAddrs) only for {@link SuperUsers}, others get
 * VL_PERM before their arguments are looked at, as vlprocs.c checks {@code afsconf_SuperUser} first.
 */
public final class VlProcedures implements VlService {
    /** Entries per ListAttributesN2 reply. */
    static final int BATCH = 100;

    private final VolumeDatabase db;
    private final SuperUsers superUsers;

    public VlProcedures(VolumeDatabase db, SuperUsers superUsers) {
        this.db = db;
        this.superUsers = superUsers;
    }

    /** A write: VL_PERM unless the caller is a superuser. */
    private void requireSuperUser(ServerCall call) {
        if (!superUsers.isSuperUser(call.securityIndex(), call.identity()))
            throw new RxAbortException(VlErrors.VL_PERM);
    }

    @Override
    public void probeServer(ServerCall call) {}

    @Override
    public void createEntryN(ServerCall call, Nvldbentry entry) {
        requireSuperUser(call);
        db.create(entry);
    }

    @Override
    public void deleteEntry(ServerCall call, int volid, int voltype) {
        requireSuperUser(call);
        db.delete(volid, voltype);
    }

    @Override
    public Nvldbentry getEntryByNameN(ServerCall call, String volumename) {
        return db.byName(volumename);
    }

    @Override
    public Nvldbentry getEntryByIDN(ServerCall call, int volid, int voltype) {
        return db.byId(volid, voltype);
    }

    @Override
    public Vl.ListAttributesNResult listAttributesN(ServerCall call, VldbListByAttributes attributes) {
        List<Nvldbentry> all = matching(attributes, "");
        return new Vl.ListAttributesNResult(all.size(), all);
    }

    @Override
    public Vl.ListAttributesN2Result listAttributesN2(
            ServerCall call, VldbListByAttributes attributes, String volumename, int startindex) {
        List<Nvldbentry> all = matching(attributes, volumename);
        int from = Math.max(0, Math.min(startindex, all.size()));
        int to = Math.min(all.size(), from + BATCH);
        List<Nvldbentry> batch = all.subList(from, to);
        return new Vl.ListAttributesN2Result(batch.size(), List.copyOf(batch), to < all.size() ? to : -1);
    }

    /** Entries matching every selected attribute; a name pattern is a regular expression, as vlserver's. */
    private List<Nvldbentry> matching(VldbListByAttributes a, String pattern) {
        List<Nvldbentry> out = new ArrayList<>();
        for (Nvldbentry e : db.entries()) {
            if ((a.mask() & VlConstants.VLLIST_VOLUMEID) != 0 && !hasId(e, a.volumeid())) continue;
            if ((a.mask() & VlConstants.VLLIST_FLAG) != 0 && (e.flags() & a.flag()) == 0) continue;
            if ((a.mask() & (VlConstants.VLLIST_SERVER | VlConstants.VLLIST_PARTITION)) != 0 && !hasSite(e, a))
                continue;
            if (!pattern.isEmpty() && !e.name().matches(pattern)) continue;
            out.add(e);
        }
        return out;
    }

    private static boolean hasId(Nvldbentry e, int id) {
        for (int v : e.volumeId()) if (v == id) return true;
        return false;
    }

    private static boolean hasSite(Nvldbentry e, VldbListByAttributes a) {
        for (int i = 0; i < e.nServers(); i++) {
            boolean server = (a.mask() & VlConstants.VLLIST_SERVER) == 0 || e.serverNumber()[i] == a.server();
            boolean part = (a.mask() & VlConstants.VLLIST_PARTITION) == 0 || e.serverPartition()[i] == a.partition();
            if (server && part) return true;
        }
        return false;
    }

    @Override
    public void registerAddrs(ServerCall call, UUID uuid, int spare1, int[] addresses) {
        requireSuperUser(call);
        // As OpenAFS's vlserver: zero addresses are skipped, and a list with none left is VL_INDEXERANGE.
        int[] given = java.util.Arrays.stream(addresses)
                .filter(a -> a != 0)
                .distinct()
                .toArray();
        if (given.length == 0) throw new RxAbortException(VlErrors.VL_INDEXERANGE);
        db.register(uuid, given);
    }

    /** One address per slot of the server table (vos listaddrs only counts them). */
    @Override
    public Vl.GetAddrsResult getAddrs(ServerCall call, int handle, int spare2) {
        List<VolumeDatabase.FileServer> servers = db.servers();
        int[] addrs = new int[servers.size()];
        for (int i = 0; i < addrs.length; i++) addrs[i] = servers.get(i).addresses()[0];
        return new Vl.GetAddrsResult(new VLCallBack(0, 0, 0, 0), addrs.length, addrs);
    }

    /** A registered file server by index, address or UUID; a slot without registration is VL_NOENT. */
    @Override
    public Vl.GetAddrsUResult getAddrsU(ServerCall call, ListAddrByAttributes by) {
        List<VolumeDatabase.FileServer> servers = db.servers();
        VolumeDatabase.FileServer found = null;
        if (by.mask() == VlConstants.VLADDR_INDEX) {
            if (by.index() < 1 || by.index() > servers.size()) throw new RxAbortException(VlErrors.VL_INDEXERANGE);
            found = servers.get(by.index() - 1);
        } else {
            for (VolumeDatabase.FileServer s : servers) {
                if ((by.mask() == VlConstants.VLADDR_IPADDR && s.has(by.ipaddr()))
                        || (by.mask() == VlConstants.VLADDR_UUID && by.uuid().equals(s.uuid()))) {
                    found = s;
                }
            }
        }
        if (found == null || found.uuid() == null) throw new RxAbortException(VlErrors.VL_NOENT);
        int[] addrs = found.addresses().clone();
        return new Vl.GetAddrsUResult(found.uuid(), 1, addrs.length, addrs);
    }
}
