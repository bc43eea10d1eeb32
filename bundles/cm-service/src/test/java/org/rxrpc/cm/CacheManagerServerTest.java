package org.rxrpc.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.transport.RxTransportImpl;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheManagerServerTest {
    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private CacheManagerServer server;
    private org.rxrpc.service.ServiceHost host;
    private TestCacheManager cm;
    private RxafscbClient client;

    @BeforeEach
    void setUp() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        cm = new TestCacheManager(onTheEventLoop());
        server = new CacheManagerServer(cm);
        host = org.rxrpc.service.ServiceHost.serve(serverEndpoint, Rxafscb.SERVICE_ID, 4, 4, "rxafscb-worker", server);
        client = new RxafscbClient(
                clientEndpoint,
                new InetSocketAddress("127.0.0.1", serverEndpoint.localAddress().getPort()));
    }

    /** Whether the cache manager lets the service answer on the I/O thread (a subclass says yes). */
    boolean onTheEventLoop() {
        return false;
    }

    @Test
    void everyCallIsServedWhereTheCacheManagerAllows() throws Exception {
        for (int i = 0; i < 20; i++)
            assertEquals(0, client.call(Rxafscb.OP_PROBE).ok().remaining());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (host.callsServed() < 20 && System.nanoTime() < deadline)
            Thread.sleep(5); // a handler ends after its reply
        assertEquals(20, host.callsServed());
        assertEquals(onTheEventLoop() ? 20 : 0, host.callsServedInline());
    }

    @AfterEach
    void tearDown() {
        if (host != null) host.close();
        if (clientEndpoint != null) clientEndpoint.close();
        if (serverEndpoint != null) serverEndpoint.close();
    }

    private static int[] ints(ByteBuffer b) {
        assertEquals(0, b.remaining() % 4, "reply is whole XDR units");
        int[] r = new int[b.remaining() / 4];
        for (int i = 0; i < r.length; i++) r[i] = b.getInt(b.position() + 4 * i);
        return r;
    }

    private static String xdrString(ByteBuffer b) {
        int n = b.getInt();
        byte[] s = new byte[n];
        b.get(s);
        b.position(b.position() + ((4 - (n & 3)) & 3));
        return new String(s, StandardCharsets.UTF_8);
    }

    @Test
    void probeRepliesWithNoData() throws Exception {
        assertEquals(0, client.call(Rxafscb.OP_PROBE).ok().remaining());
    }

    @Test
    void getLockRepliesNameAsSixteenUnitsThenTheLockDesc() throws Exception {
        int[] r = ints(client.call(Rxafscb.OP_GET_LOCK, 0).ok());
        assertEquals(24, r.length); // 96 bytes
        String name = "afs_xvcache";
        for (int i = 0; i < 16; i++) assertEquals(i < name.length() ? name.charAt(i) : 0, r[i]);
        assertEquals(
                List.of(0, 2, 0, 1, 0, 0, 4242, 0), List.of(r[16], r[17], r[18], r[19], r[20], r[21], r[22], r[23]));
        assertEquals(24, ints(client.call(Rxafscb.OP_GET_LOCK, 1).ok()).length);
    }

    @Test
    void getLockPastTheEndAbortsOne() throws Exception {
        assertEquals(1, client.call(Rxafscb.OP_GET_LOCK, 2).abortCode());
    }

    @Test
    void getCeRepliesEightyEightBytesAndGetCe64NinetyTwoWithAHyperLength() throws Exception {
        int[] r = ints(client.call(Rxafscb.OP_GET_CE, 0).ok());
        assertEquals(22, r.length);
        assertEquals(0x1000, r[0]);
        assertEquals(7, r[1]);
        assertEquals(536870915, r[2]);
        assertEquals(42, r[3]);
        assertEquals(4711, r[4]);
        assertEquals(123456, r[5]);
        assertEquals(9, r[6]);
        assertEquals(2, r[8]); // lock.exclLocked
        assertEquals(3333, r[13]); // lock.pid_writer
        assertEquals(1700000000, r[16]); // cbExpires
        assertEquals(List.of(2, 1, 1, 0, 1), List.of(r[17], r[18], r[19], r[20], r[21]));

        int[] r64 = ints(client.call(Rxafscb.OP_GET_CE64, 1).ok());
        assertEquals(23, r64.length);
        assertEquals(5_000_000_000L, ((long) r64[5] << 32) | (r64[6] & 0xFFFFFFFFL));
        assertEquals(3, r64[7]); // DataVersion
        assertEquals(3, r64[21]); // mvstat
        assertEquals(1, client.call(Rxafscb.OP_GET_CE, 2).abortCode());
        assertEquals(1, client.call(Rxafscb.OP_GET_CE64, 2).abortCode());
    }

    @Test
    void xStatsVersionRepliesTwo() throws Exception {
        assertEquals(2, ints(client.call(Rxafscb.OP_XSTATS_VERSION).ok())[0]);
    }

    @Test
    void getXStatsCollectionsHaveTheLengthsXstatCmTestExpects() throws Exception {
        int[] words = {566, 159, 775};
        for (int coll = 0; coll < 3; coll++) {
            int[] r = ints(client.call(Rxafscb.OP_GET_XSTATS, 2, coll).ok());
            assertEquals(2, r[0]);
            assertTrue(Math.abs(r[1] - System.currentTimeMillis() / 1000) < 60, "time");
            assertEquals(words[coll], r[2]);
            assertEquals(3 + words[coll], r.length);
        }
        assertEquals(1, client.call(Rxafscb.OP_GET_XSTATS, 2, 3).abortCode());
    }

    @Test
    void initCallBackState2AbortsRxgenOpcodeAsOpenAfs() throws Exception {
        assertEquals(
                AbortCodes.RXGEN_OPCODE,
                client.call(Rxafscb.OP_INIT_CALLBACK_STATE2).abortCode());
    }

    private static void assertInterfaceAddr(int[] r, UUID uuid) {
        assertEquals(2, r[0]);
        long msb = ((long) r[1] << 32) | ((r[2] & 0xFFFFL) << 16) | (r[3] & 0xFFFFL);
        assertEquals(uuid.getMostSignificantBits(), msb);
        long lsb = 0;
        for (int i = 4; i < 12; i++) lsb = (lsb << 8) | (r[i] & 0xFF);
        assertEquals(uuid.getLeastSignificantBits(), lsb);
        assertEquals((byte) 0x8e, r[4], "uuid chars are sign-extended units");
        assertEquals(0x7F000001, r[12]);
        assertEquals(0x0A090807, r[13]);
        assertEquals(0, r[14]);
        assertEquals(0xFF000000, r[44]);
        assertEquals(0xFFFFFF00, r[45]);
        assertEquals(1500, r[76]);
        assertEquals(9000, r[77]);
    }

    @Test
    void whoAreYouRepliesA432ByteInterfaceAddr() throws Exception {
        int[] r = ints(client.call(Rxafscb.OP_WHO_ARE_YOU).ok());
        assertEquals(108, r.length);
        assertInterfaceAddr(r, TestCacheManager.UUID_);
    }

    @Test
    void tellMeAboutYourselfAddsTheErrorTranslationCapability() throws Exception {
        int[] r = ints(client.call(Rxafscb.OP_TELL_ME_ABOUT_YOURSELF).ok());
        assertEquals(110, r.length);
        assertInterfaceAddr(r, TestCacheManager.UUID_);
        assertEquals(1, r[108]);
        assertEquals(1, r[109]);
    }

    private static ByteBuffer uuidRequest(int op, UUID u) {
        ByteBuffer b = ByteBuffer.allocate(48);
        new XdrWriter(b.putInt(op)).writeUuid(u);
        return b.flip();
    }

    @Test
    void probeUuidSucceedsForOurUuidAndAbortsOneOtherwise() throws Exception {
        assertEquals(
                0,
                client.raw(uuidRequest(Rxafscb.OP_PROBE_UUID, TestCacheManager.UUID_))
                        .ok()
                        .remaining());
        assertEquals(
                1,
                client.raw(uuidRequest(Rxafscb.OP_PROBE_UUID, UUID.randomUUID()))
                        .abortCode());
    }

    @Test
    void initCallBackStateAndState3ReachTheCacheManager() throws Exception {
        assertEquals(0, client.call(Rxafscb.OP_INIT_CALLBACK_STATE).ok().remaining());
        assertEquals("none", cm.inits.poll(5, TimeUnit.SECONDS));
        UUID serverUuid = UUID.fromString("01234567-89ab-cdef-fedc-ba9876543210");
        assertEquals(
                0,
                client.raw(uuidRequest(Rxafscb.OP_INIT_CALLBACK_STATE3, serverUuid))
                        .ok()
                        .remaining());
        assertEquals(serverUuid.toString(), cm.inits.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void getServerPrefsRepliesAddressAndRankThenAllOnesPastTheEnd() throws Exception {
        assertEquals(
                List.of(0x0A010203, 5000),
                asList(ints(client.call(Rxafscb.OP_GET_SERVER_PREFS, 0).ok())));
        assertEquals(
                0xFFFFFFFF, ints(client.call(Rxafscb.OP_GET_SERVER_PREFS, 1).ok())[0]);
    }

    @Test
    void getCellServDbRepliesNameAndServersThenAnEmptyNamePastTheEnd() throws Exception {
        ByteBuffer b = client.call(Rxafscb.OP_GET_CELL_SERV_DB, 0).ok();
        assertEquals("example.org", xdrString(b));
        assertEquals(2, b.getInt());
        assertEquals(0x0A010203, b.getInt());
        assertEquals(0x0A010204, b.getInt());
        assertEquals(0, b.remaining());
        ByteBuffer end = client.call(Rxafscb.OP_GET_CELL_SERV_DB, 2).ok();
        assertEquals(8, end.remaining());
        assertEquals("", xdrString(end));
        assertEquals(0, end.getInt());
    }

    @Test
    void getCellByNumFindsTheCellNumberOrRepliesEmpty() throws Exception {
        ByteBuffer b = client.call(Rxafscb.OP_GET_CELL_BY_NUM, 9).ok();
        assertEquals("other.test", xdrString(b));
        assertEquals(1, b.getInt());
        assertEquals(0xC0A80701, b.getInt());
        ByteBuffer none = client.call(Rxafscb.OP_GET_CELL_BY_NUM, 8).ok();
        assertEquals("", xdrString(none));
        assertEquals(0, none.getInt());
    }

    @Test
    void getLocalCellRepliesThePaddedName() throws Exception {
        ByteBuffer b = client.call(Rxafscb.OP_GET_LOCAL_CELL).ok();
        assertEquals(16, b.remaining());
        assertEquals("example.org", xdrString(b));
    }

    @Test
    void getCacheConfigRepliesVersionByteCountAndNineWords() throws Exception {
        int[] r = ints(client.call(Rxafscb.OP_GET_CACHE_CONFIG, 1).ok());
        assertEquals(List.of(1, 36, 9, 1000, 300, 2000, 200, 65536, 65536, 100000, 0, 0), asList(r));
    }

    private static List<Integer> asList(int[] r) {
        return java.util.Arrays.stream(r).boxed().toList();
    }

    @Test
    void callBackDeliversTheFidsAndCallbacksToTheCacheManager() throws Exception {
        ByteBuffer req = ByteBuffer.allocate(4 + 4 + 2 * 12 + 4 + 12);
        req.putInt(Rxafscb.OP_CALLBACK).putInt(2);
        req.putInt(536870915).putInt(1).putInt(1);
        req.putInt(536870915).putInt(42).putInt(4711);
        req.putInt(1).putInt(1).putInt(0).putInt(AFSCallBack.DROPPED);
        assertEquals(0, client.raw(req.flip()).ok().remaining());
        assertEquals(
                List.of(new AFSFid(536870915, 1, 1), new AFSFid(536870915, 42, 4711)),
                cm.callBacks.poll(5, TimeUnit.SECONDS));
        assertEquals(
                List.of(new AFSCallBack(1, 0, AFSCallBack.DROPPED)), cm.callBackPromises.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void callBackWithMoreThanFiftyFidsAbortsSsUnmarshal() throws Exception {
        ByteBuffer req = ByteBuffer.allocate(8 + 51 * 12 + 4);
        req.putInt(Rxafscb.OP_CALLBACK).putInt(51);
        for (int i = 0; i < 51 * 3; i++) req.putInt(i);
        req.putInt(0);
        assertEquals(AbortCodes.RXGEN_SS_UNMARSHAL, client.raw(req.flip()).abortCode());
        assertNull(cm.callBacks.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void missingArgumentsAbortSsUnmarshal() throws Exception {
        assertEquals(
                AbortCodes.RXGEN_SS_UNMARSHAL, client.call(Rxafscb.OP_GET_LOCK).abortCode());
        assertEquals(
                AbortCodes.RXGEN_SS_UNMARSHAL,
                client.call(Rxafscb.OP_GET_XSTATS, 2).abortCode());
        assertEquals(
                AbortCodes.RXGEN_SS_UNMARSHAL,
                client.call(Rxafscb.OP_INIT_CALLBACK_STATE3, 1, 2).abortCode());
    }

    @Test
    void unknownOpcodeAbortsRxgenOpcode() throws Exception {
        assertEquals(-455, client.call(4711).abortCode());
        assertEquals(-455, client.call(65539).abortCode());
    }

    @Test
    void requestWithoutAnOpcodeAbortsRxgenDecode() throws Exception {
        assertEquals(AbortCodes.RXGEN_DECODE, client.raw(ByteBuffer.allocate(2)).abortCode());
    }

    @Test
    void withoutACacheManagerTheServerAnswersValidEmptyData() throws Exception {
        server.setCacheManager(null);
        assertEquals(1, client.call(Rxafscb.OP_GET_LOCK, 0).abortCode());
        assertEquals(1, client.call(Rxafscb.OP_GET_CE, 0).abortCode());
        assertEquals(1, client.call(Rxafscb.OP_GET_CE64, 0).abortCode());
        assertEquals(
                List.of(0), asList(ints(client.call(Rxafscb.OP_GET_LOCAL_CELL).ok())));
        assertEquals(
                List.of(1, 36, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                asList(ints(client.call(Rxafscb.OP_GET_CACHE_CONFIG, 1).ok())));
        assertEquals(
                List.of(0, 0),
                asList(ints(client.call(Rxafscb.OP_GET_CELL_SERV_DB, 0).ok())));
        int[] a = ints(client.call(Rxafscb.OP_WHO_ARE_YOU).ok());
        int[] b = ints(client.call(Rxafscb.OP_TELL_ME_ABOUT_YOURSELF).ok());
        assertEquals(1, a[0]);
        assertEquals(0x7F000001, a[12]);
        assertEquals(0xFF000000, a[44]);
        assertNotNull(server.uuid());
        for (int i = 1; i < 12; i++) assertEquals(a[i], b[i], "UUID stable across calls");
        assertEquals(
                0,
                client.raw(uuidRequest(Rxafscb.OP_PROBE_UUID, server.uuid()))
                        .ok()
                        .remaining());
        assertEquals(0, client.call(Rxafscb.OP_CALLBACK, 0, 0).ok().remaining());
    }
}
