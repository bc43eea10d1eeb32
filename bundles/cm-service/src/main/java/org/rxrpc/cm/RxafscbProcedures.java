package org.rxrpc.cm;

import java.net.Inet4Address;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.cm.rxafscb.AFSDBCacheEntry;
import org.rxrpc.cm.rxafscb.AFSDBCacheEntry64;
import org.rxrpc.cm.rxafscb.AFSDBLock;
import org.rxrpc.cm.rxafscb.AFSDBLockDesc;
import org.rxrpc.cm.rxafscb.InterfaceAddr;
import org.rxrpc.cm.rxafscb.Rxafscb.GetCacheConfigResult;
import org.rxrpc.cm.rxafscb.Rxafscb.GetCellByNumResult;
import org.rxrpc.cm.rxafscb.Rxafscb.GetCellServDBResult;
import org.rxrpc.cm.rxafscb.Rxafscb.GetServerPrefsResult;
import org.rxrpc.cm.rxafscb.Rxafscb.GetXStatsResult;
import org.rxrpc.cm.rxafscb.Rxafscb.TellMeAboutYourselfResult;
import org.rxrpc.cm.rxafscb.RxafscbConstants;
import org.rxrpc.cm.rxafscb.RxafscbService;
import org.rxrpc.xdr.ServerCall;

/**
 * The RXAFSCB procedures (generated {@link RxafscbService}) answered from a {@link CacheManager}: the API's
 * records become the wire types of rxafscb.xg. InitCallBackState2 stays unimplemented: OpenAFS answers it
 * with RXGEN_OPCODE too.
 */
final class RxafscbProcedures implements RxafscbService {
    private static final CmInterface LOOPBACK = loopback();

    private final Supplier<CacheManager> cacheManager;
    private final Supplier<UUID> uuid;

    /** @param cacheManager the current cache manager (never null); {@code uuid} the UUID we report */
    RxafscbProcedures(Supplier<CacheManager> cacheManager, Supplier<UUID> uuid) {
        this.cacheManager = cacheManager;
        this.uuid = uuid;
    }

    @Override
    public void callBack(
            ServerCall call, List<org.rxrpc.cm.rxafscb.AFSFid> fids, List<org.rxrpc.cm.rxafscb.AFSCallBack> callBacks) {
        List<AFSFid> f = new ArrayList<>(fids.size());
        for (org.rxrpc.cm.rxafscb.AFSFid x : fids) f.add(new AFSFid(x.volume(), x.vnode(), x.unique()));
        List<AFSCallBack> c = new ArrayList<>(callBacks.size());
        for (org.rxrpc.cm.rxafscb.AFSCallBack x : callBacks) {
            c.add(new AFSCallBack(x.callBackVersion(), x.expirationTime(), x.callBackType()));
        }
        cacheManager.get().callBack(call.peer(), List.copyOf(f), List.copyOf(c));
    }

    @Override
    public void initCallBackState(ServerCall call) {
        cacheManager.get().initCallBackState(call.peer(), null);
    }

    @Override
    public void probe(ServerCall call) {}

    @Override
    public AFSDBLock getLock(ServerCall call, int index) {
        CmLock lock = at(cacheManager.get().locks(), index);
        // char name[16]: cut to 15 bytes so a NUL always ends it, as cmdebug expects
        byte[] name = lock.name().getBytes(StandardCharsets.US_ASCII);
        return new AFSDBLock(
                new String(name, 0, Math.min(name.length, 15), StandardCharsets.US_ASCII), desc(lock.lock()));
    }

    @Override
    public AFSDBCacheEntry getCE(ServerCall call, int index) {
        CacheEntry e = at(cacheManager.get().cacheEntries(), index);
        return new AFSDBCacheEntry(
                e.addr(),
                e.cell(),
                fid(e.fid()),
                (int) e.length(),
                e.dataVersion(),
                desc(e.lock()),
                e.callback(),
                e.cbExpires(),
                (short) e.refCount(),
                (short) e.opens(),
                (short) e.writers(),
                (byte) e.mvstat(),
                (byte) e.states());
    }

    @Override
    public AFSDBCacheEntry64 getCE64(ServerCall call, int index) {
        CacheEntry e = at(cacheManager.get().cacheEntries(), index);
        return new AFSDBCacheEntry64(
                e.addr(),
                e.cell(),
                fid(e.fid()),
                e.length(),
                e.dataVersion(),
                desc(e.lock()),
                e.callback(),
                e.cbExpires(),
                (short) e.refCount(),
                (short) e.opens(),
                (short) e.writers(),
                (byte) e.mvstat(),
                (byte) e.states());
    }

    @Override
    public int xStatsVersion(ServerCall call) {
        return Rxafscb.XSTAT_VERSION;
    }

    @Override
    public GetXStatsResult getXStats(ServerCall call, int clientVersion, int collection) {
        int words =
                switch (collection) {
                    case 0 -> Rxafscb.XSTAT_CALL_INFO_WORDS;
                    case 1 -> Rxafscb.XSTAT_PERF_INFO_WORDS;
                    case 2 -> Rxafscb.XSTAT_FULL_PERF_INFO_WORDS;
                    default -> throw new RxAbortException(Rxafscb.ABORT_NO_ENTRY);
                };
        return new GetXStatsResult(Rxafscb.XSTAT_VERSION, (int) (System.currentTimeMillis() / 1000), new int[words]);
    }

    @Override
    public InterfaceAddr whoAreYou(ServerCall call) {
        return interfaceAddr();
    }

    @Override
    public void initCallBackState3(ServerCall call, UUID serverUuid) {
        cacheManager.get().initCallBackState(call.peer(), serverUuid);
    }

    @Override
    public void probeUuid(ServerCall call, UUID clientUuid) {
        if (!clientUuid.equals(uuid.get())) throw new RxAbortException(Rxafscb.ABORT_NO_ENTRY);
    }

    @Override
    public GetServerPrefsResult getServerPrefs(ServerCall call, int index) {
        List<ServerPref> prefs = cacheManager.get().serverPrefs();
        if (index < 0 || index >= prefs.size()) return new GetServerPrefsResult(0xFFFFFFFF, 0);
        return new GetServerPrefsResult(
                ipv4(prefs.get(index).address()), prefs.get(index).rank());
    }

    @Override
    public GetCellServDBResult getCellServDB(ServerCall call, int index) {
        List<Cell> cells = cacheManager.get().cells();
        Cell cell = index >= 0 && index < cells.size() ? cells.get(index) : null;
        return new GetCellServDBResult(cellName(cell), hosts(cell));
    }

    @Override
    public GetCellByNumResult getCellByNum(ServerCall call, int number) {
        Cell found = null;
        for (Cell cell : cacheManager.get().cells()) {
            if (cell.number() == number) {
                found = cell;
                break;
            }
        }
        return new GetCellByNumResult(cellName(found), hosts(found));
    }

    @Override
    public String getLocalCell(ServerCall call) {
        String name = cacheManager.get().localCell();
        return name != null ? name : "";
    }

    @Override
    public GetCacheConfigResult getCacheConfig(ServerCall call, int callerVersion) {
        CacheConfig c = cacheManager.get().cacheConfig();
        if (c == null) c = CacheConfig.ZERO;
        int[] config = {
            c.nChunkFiles(),
            c.nStatCaches(),
            c.nDataCaches(),
            c.nVolumeCaches(),
            c.firstChunkSize(),
            c.otherChunkSize(),
            c.cacheSize(),
            c.setTime(),
            c.memCache()
        };
        return new GetCacheConfigResult(1, 4 * config.length, config); // OpenAFS sends the byte size as count
    }

    @Override
    public TellMeAboutYourselfResult tellMeAboutYourself(ServerCall call) {
        return new TellMeAboutYourselfResult(interfaceAddr(), new int[] {Rxafscb.CAPABILITY_ERRORTRANS});
    }

    private static <T> T at(List<T> list, int index) {
        if (index < 0 || index >= list.size()) throw new RxAbortException(Rxafscb.ABORT_NO_ENTRY);
        return list.get(index);
    }

    private static org.rxrpc.cm.rxafscb.AFSFid fid(AFSFid f) {
        return new org.rxrpc.cm.rxafscb.AFSFid(f.volume(), f.vnode(), f.unique());
    }

    private static AFSDBLockDesc desc(LockDesc l) {
        return new AFSDBLockDesc(
                (byte) l.waitStates(),
                (byte) l.exclLocked(),
                (short) l.readersReading(),
                (short) l.numWaiting(),
                (short) 0,
                l.pidLastReader(),
                l.pidWriter(),
                l.srcIndicator());
    }

    private static String cellName(Cell cell) {
        return cell == null ? "" : cell.name();
    }

    private static int[] hosts(Cell cell) {
        if (cell == null) return new int[0];
        List<Inet4Address> servers = cell.servers();
        int[] hosts = new int[Math.min(servers.size(), RxafscbConstants.AFSMAXCELLHOSTS)];
        for (int i = 0; i < hosts.length; i++) hosts[i] = ipv4(servers.get(i));
        return hosts;
    }

    private InterfaceAddr interfaceAddr() {
        List<CmInterface> ifs = cacheManager.get().interfaces();
        if (ifs == null || ifs.isEmpty()) ifs = List.of(LOOPBACK);
        int n = Math.min(ifs.size(), Rxafscb.MAX_INTERFACES);
        int[] addr = new int[Rxafscb.MAX_INTERFACES];
        int[] mask = new int[Rxafscb.MAX_INTERFACES];
        int[] mtu = new int[Rxafscb.MAX_INTERFACES];
        for (int i = 0; i < n; i++) {
            addr[i] = ipv4(ifs.get(i).address());
            mask[i] = ifs.get(i).netmask();
            mtu[i] = ifs.get(i).mtu();
        }
        return new InterfaceAddr(n, uuid.get(), addr, mask, mtu);
    }

    private static int ipv4(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static CmInterface loopback() {
        try {
            return new CmInterface(
                    (Inet4Address) Inet4Address.getByAddress(new byte[] {127, 0, 0, 1}), 0xFF000000, 1500);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
