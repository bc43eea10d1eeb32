package org.rxrpc.cm;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.ServiceHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AFS cache-manager callback service (RXAFSCB, service 1) as a call handler: it reads the int32
 * opcode and the arguments, asks the {@link CacheManager} (or answers valid empty data without one) and
 * replies per afscbint.xg. Serve it with {@link #serve} or publish it on the whiteboard (the cm bundle
 * does).
 */
public class CacheManagerServer implements RxCallHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CacheManagerServer.class);
    /** Largest request: CallBack with 50 FIDs and 50 callbacks is 1212 bytes. */
    private static final int MAX_REQUEST = 4096;

    private static final int MAX_REPLY = 16384;
    private static final long READ_WAIT_SECONDS = 60;
    private static final CacheManager EMPTY = new CacheManager() {};

    private volatile CacheManager cacheManager;
    private final UUID ownUuid = UUID.randomUUID();
    /** One set of buffers per handler thread. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** Thrown by an op to end the call with an ABORT carrying {@code code}. */
    private static final class Abort extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Abort(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /** A handler thread's buffers. */
    private static final class Scratch {
        final ByteBuffer request = ByteBuffer.allocate(MAX_REQUEST);
        final ByteBuffer reply = ByteBuffer.allocate(MAX_REPLY);
    }

    /** @param cacheManager the data source and event sink; null answers valid empty data */
    public CacheManagerServer(CacheManager cacheManager) {
        this.cacheManager = cacheManager;
    }

    /** Without OSGi: listens for RXAFSCB (service 1) on {@code endpoint} and serves it until closed. */
    public static ServiceHost serve(RxEndpoint endpoint, int backlog, int maxLiveCalls, CacheManager cacheManager) {
        return ServiceHost.serve(
                endpoint,
                Rxafscb.SERVICE_ID,
                backlog,
                maxLiveCalls,
                "rxafscb-worker",
                new CacheManagerServer(cacheManager));
    }

    @Override
    public void handle(RxCall call) throws InterruptedException {
        Scratch s = scratch.get();
        serve(call, s.request, s.reply);
    }

    /** Drops {@code cm} if it is the current cache manager (a whiteboard unbind). */
    protected synchronized void clearCacheManager(CacheManager cm) {
        if (cacheManager == cm) cacheManager = null;
    }

    /** Replaces the cache manager (null: valid empty data); calls in progress may still see the old one. */
    public synchronized void setCacheManager(CacheManager cacheManager) {
        this.cacheManager = cacheManager;
    }

    /** The UUID this server reports: the cache manager's, else its own random one. */
    public UUID uuid() {
        UUID u = cm().uuid();
        return u != null ? u : ownUuid;
    }

    private CacheManager cm() {
        CacheManager c = cacheManager;
        return c != null ? c : EMPTY;
    }

    private void serve(RxCall call, ByteBuffer request, ByteBuffer reply) throws InterruptedException {
        request.clear();
        boolean complete = false;
        while (request.hasRemaining()) {
            if (call.receive(request, READ_WAIT_SECONDS, TimeUnit.SECONDS) < 0) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL); // longer than any RXAFSCB request
            return;
        }
        request.flip();
        if (request.remaining() < 4) {
            call.abort(AbortCodes.RXGEN_DECODE);
            return;
        }
        int op = request.getInt();
        XdrReader in = new XdrReader(request);
        reply.clear();
        XdrWriter out = new XdrWriter(reply);
        try {
            dispatch(op, in, out, call.peer());
        } catch (XdrReader.XdrException e) {
            LOG.debug("RXAFSCB op {}: bad arguments: {}", op, e.getMessage());
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return;
        } catch (Abort a) {
            call.abort(a.code);
            return;
        }
        reply.flip();
        call.send(reply, true);
    }

    private void dispatch(int op, XdrReader in, XdrWriter out, InetSocketAddress peer)
            throws XdrReader.XdrException, Abort {
        CacheManager cm = cm();
        switch (op) {
            case Rxafscb.OP_CALLBACK -> {
                int nf = in.readCount(Rxafscb.AFSCBMAX);
                List<AFSFid> fids = new ArrayList<>(nf);
                for (int i = 0; i < nf; i++) fids.add(new AFSFid(in.readInt(), in.readInt(), in.readInt()));
                int nc = in.readCount(Rxafscb.AFSCBMAX);
                List<AFSCallBack> cbs = new ArrayList<>(nc);
                for (int i = 0; i < nc; i++) cbs.add(new AFSCallBack(in.readInt(), in.readInt(), in.readInt()));
                cm.callBack(peer, List.copyOf(fids), List.copyOf(cbs));
            }
            case Rxafscb.OP_INIT_CALLBACK_STATE -> cm.initCallBackState(peer, null);
            case Rxafscb.OP_PROBE -> {}
            case Rxafscb.OP_GET_LOCK -> {
                int index = in.readInt();
                List<CmLock> locks = cm.locks();
                if (index < 0 || index >= locks.size()) throw new Abort(Rxafscb.ABORT_NO_ENTRY);
                CmLock lock = locks.get(index);
                out.writeCharArray(lock.name(), 16);
                writeLockDesc(out, lock.lock());
            }
            case Rxafscb.OP_GET_CE, Rxafscb.OP_GET_CE64 -> {
                int index = in.readInt();
                List<CacheEntry> entries = cm.cacheEntries();
                if (index < 0 || index >= entries.size()) throw new Abort(Rxafscb.ABORT_NO_ENTRY);
                writeCacheEntry(out, entries.get(index), op == Rxafscb.OP_GET_CE64);
            }
            case Rxafscb.OP_XSTATS_VERSION -> out.writeInt(Rxafscb.XSTAT_VERSION);
            case Rxafscb.OP_GET_XSTATS -> {
                in.readInt(); // the client's version: OpenAFS ignores it
                int collection = in.readInt();
                int words =
                        switch (collection) {
                            case 0 -> Rxafscb.XSTAT_CALL_INFO_WORDS;
                            case 1 -> Rxafscb.XSTAT_PERF_INFO_WORDS;
                            case 2 -> Rxafscb.XSTAT_FULL_PERF_INFO_WORDS;
                            default -> throw new Abort(Rxafscb.ABORT_NO_ENTRY);
                        };
                out.writeInt(Rxafscb.XSTAT_VERSION);
                out.writeInt((int) (System.currentTimeMillis() / 1000));
                out.writeInt(words);
                for (int i = 0; i < words; i++) out.writeInt(0);
            }
            case Rxafscb.OP_WHO_ARE_YOU -> writeInterfaceAddr(out, cm);
            case Rxafscb.OP_INIT_CALLBACK_STATE3 -> cm.initCallBackState(peer, in.readUuid());
            case Rxafscb.OP_PROBE_UUID -> {
                if (!in.readUuid().equals(uuid())) throw new Abort(Rxafscb.ABORT_NO_ENTRY);
            }
            case Rxafscb.OP_GET_SERVER_PREFS -> {
                int index = in.readInt();
                List<ServerPref> prefs = cm.serverPrefs();
                if (index < 0 || index >= prefs.size()) {
                    out.writeInt(0xFFFFFFFF).writeInt(0);
                } else {
                    out.writeInt(ipv4(prefs.get(index).address()))
                            .writeInt(prefs.get(index).rank());
                }
            }
            case Rxafscb.OP_GET_CELL_SERV_DB -> {
                int index = in.readInt();
                List<Cell> cells = cm.cells();
                writeCell(out, index >= 0 && index < cells.size() ? cells.get(index) : null);
            }
            case Rxafscb.OP_GET_LOCAL_CELL -> out.writeString(nonNull(cm.localCell()), Rxafscb.AFSNAMEMAX);
            case Rxafscb.OP_GET_CACHE_CONFIG -> {
                in.readInt(); // the caller's version
                CacheConfig c = cm.cacheConfig();
                if (c == null) c = CacheConfig.ZERO;
                out.writeInt(1); // server version
                out.writeInt(9 * 4); // configCount: OpenAFS puts the byte size
                out.writeInt(9); // the cacheConfig<> array count
                out.writeInt(c.nChunkFiles()).writeInt(c.nStatCaches()).writeInt(c.nDataCaches());
                out.writeInt(c.nVolumeCaches()).writeInt(c.firstChunkSize()).writeInt(c.otherChunkSize());
                out.writeInt(c.cacheSize()).writeInt(c.setTime()).writeInt(c.memCache());
            }
            case Rxafscb.OP_GET_CELL_BY_NUM -> {
                int number = in.readInt();
                Cell found = null;
                for (Cell cell : cm.cells()) {
                    if (cell.number() == number) {
                        found = cell;
                        break;
                    }
                }
                writeCell(out, found);
            }
            case Rxafscb.OP_TELL_ME_ABOUT_YOURSELF -> {
                writeInterfaceAddr(out, cm);
                out.writeInt(1).writeInt(Rxafscb.CAPABILITY_ERRORTRANS);
            }
            // InitCallBackState2 (211) included: OpenAFS answers it with RXGEN_OPCODE.
            default -> throw new Abort(AbortCodes.RXGEN_OPCODE);
        }
    }

    private static String nonNull(String s) {
        return s != null ? s : "";
    }

    private static void writeLockDesc(XdrWriter out, LockDesc l) {
        out.writeInt(l.waitStates()).writeInt(l.exclLocked()).writeInt(l.readersReading());
        out.writeInt(l.numWaiting()).writeInt(0).writeInt(l.pidLastReader()).writeInt(l.pidWriter());
        out.writeInt(l.srcIndicator());
    }

    private static void writeCacheEntry(XdrWriter out, CacheEntry e, boolean length64) {
        out.writeInt(e.addr()).writeInt(e.cell());
        out.writeInt(e.fid().volume())
                .writeInt(e.fid().vnode())
                .writeInt(e.fid().unique());
        if (length64) out.writeHyper(e.length());
        else out.writeInt((int) e.length());
        out.writeInt(e.dataVersion());
        writeLockDesc(out, e.lock());
        out.writeInt(e.callback()).writeInt(e.cbExpires());
        out.writeInt((short) e.refCount()).writeInt((short) e.opens()).writeInt((short) e.writers());
        out.writeInt((byte) e.mvstat()).writeInt((byte) e.states());
    }

    private static void writeCell(XdrWriter out, Cell cell) {
        if (cell == null) {
            out.writeString("", Rxafscb.AFSNAMEMAX).writeInt(0);
            return;
        }
        out.writeString(cell.name(), Rxafscb.AFSNAMEMAX);
        out.writeInt(cell.servers().size());
        for (Inet4Address a : cell.servers()) out.writeInt(ipv4(a));
    }

    private void writeInterfaceAddr(XdrWriter out, CacheManager cm) {
        List<CmInterface> ifs = cm.interfaces();
        if (ifs == null || ifs.isEmpty()) ifs = List.of(LOOPBACK);
        int n = Math.min(ifs.size(), Rxafscb.MAX_INTERFACES);
        out.writeInt(n);
        out.writeUuid(uuid());
        for (int i = 0; i < Rxafscb.MAX_INTERFACES; i++)
            out.writeInt(i < n ? ipv4(ifs.get(i).address()) : 0);
        for (int i = 0; i < Rxafscb.MAX_INTERFACES; i++)
            out.writeInt(i < n ? ifs.get(i).netmask() : 0);
        for (int i = 0; i < Rxafscb.MAX_INTERFACES; i++)
            out.writeInt(i < n ? ifs.get(i).mtu() : 0);
    }

    private static final CmInterface LOOPBACK = loopback();

    private static CmInterface loopback() {
        try {
            return new CmInterface(
                    (Inet4Address) Inet4Address.getByAddress(new byte[] {127, 0, 0, 1}), 0xFF000000, 1500);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int ipv4(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
