package org.rxrpc.cm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;

/** A cache manager with recognisable data; records the events it receives. */
final class TestCacheManager implements CacheManager {
    private final boolean answersWithoutBlocking;

    /** @param answersWithoutBlocking whether the service may ask it on the I/O thread */
    TestCacheManager(boolean answersWithoutBlocking) {
        this.answersWithoutBlocking = answersWithoutBlocking;
    }

    TestCacheManager() {
        this(false);
    }

    @Override
    public boolean answersWithoutBlocking() {
        return answersWithoutBlocking;
    }

    static final UUID UUID_ = UUID.fromString("8a3c1f2e-1234-4bcd-8e9f-a1b2c3d4e5f6");
    static final CacheEntry ENTRY_LOCKED = new CacheEntry(
            0x1000,
            7,
            new AFSFid(536870915, 42, 4711),
            123456,
            9,
            new LockDesc(0, 2, 0, 0, 0, 3333, 0),
            0,
            1700000000,
            2,
            1,
            1,
            0,
            1);
    static final CacheEntry ENTRY_BIG = new CacheEntry(
            0x2000, 7, new AFSFid(536870918, 1, 1), 5_000_000_000L, 3, LockDesc.UNLOCKED, 0, 1700000100, 0, 0, 0, 3, 0);

    final LinkedBlockingQueue<List<AFSFid>> callBacks = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<List<AFSCallBack>> callBackPromises = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<String> inits = new LinkedBlockingQueue<>();

    static Inet4Address ip(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<CmLock> locks() {
        return List.of(
                new CmLock("afs_xvcache", new LockDesc(0, 2, 0, 1, 0, 4242, 0)),
                new CmLock("afs_xdcache", LockDesc.UNLOCKED));
    }

    @Override
    public List<CacheEntry> cacheEntries() {
        return List.of(ENTRY_LOCKED, ENTRY_BIG);
    }

    @Override
    public List<Cell> cells() {
        return List.of(
                new Cell(7, "example.org", List.of(ip("10.1.2.3"), ip("10.1.2.4"))),
                new Cell(9, "other.test", List.of(ip("192.168.7.1"))));
    }

    @Override
    public String localCell() {
        return "example.org";
    }

    @Override
    public CacheConfig cacheConfig() {
        return new CacheConfig(1000, 300, 2000, 200, 65536, 65536, 100000, 0, 0);
    }

    @Override
    public List<ServerPref> serverPrefs() {
        return List.of(new ServerPref(ip("10.1.2.3"), 5000));
    }

    @Override
    public List<CmInterface> interfaces() {
        return List.of(
                new CmInterface(ip("127.0.0.1"), 0xFF000000, 1500), new CmInterface(ip("10.9.8.7"), 0xFFFFFF00, 9000));
    }

    @Override
    public UUID uuid() {
        return UUID_;
    }

    @Override
    public void callBack(InetSocketAddress server, List<AFSFid> fids, List<AFSCallBack> callBacks) {
        this.callBacks.add(fids);
        this.callBackPromises.add(callBacks);
    }

    @Override
    public void initCallBackState(InetSocketAddress server, UUID serverUuid) {
        inits.add(serverUuid == null ? "none" : serverUuid.toString());
    }
}
