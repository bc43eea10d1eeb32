package org.rxrpc.vl.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.vl.sample.gen.ListAddrByAttributes;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.Vl;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;
import org.rxrpc.vl.sample.gen.VlStub;
import org.rxrpc.vl.sample.gen.VldbListByAttributes;
import org.rxrpc.xdr.ErrorTable;

/** The sample VL server over loopback, called through the stub generated from the same vl.xg. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VlSampleServerTest {
    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost server;
    private VlStub vl;

    static Nvldbentry entry(String name, int rwId, int... serverAddresses) {
        int[] servers = new int[VlConstants.NMAXNSERVERS];
        int[] partitions = new int[VlConstants.NMAXNSERVERS];
        int[] flags = new int[VlConstants.NMAXNSERVERS];
        for (int i = 0; i < serverAddresses.length; i++) {
            servers[i] = serverAddresses[i];
            flags[i] = VlConstants.VLSF_RWVOL;
        }
        return new Nvldbentry(
                name,
                serverAddresses.length,
                servers,
                partitions,
                flags,
                new int[] {rwId, rwId + 1, rwId + 2},
                0,
                VlConstants.VLF_RWEXISTS,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0);
    }

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        server = VlSampleServer.serve(serverEndpoint, 4, 4, new VolumeDatabase(), SuperUsers.EVERYONE);
        vl = new VlStub(
                clientEndpoint,
                new InetSocketAddress("127.0.0.1", serverEndpoint.localAddress().getPort()),
                VlSampleServer.SERVICE_ID,
                CallOptions.DEFAULT.withHardTimeoutMillis(20_000),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.close();
        clientEndpoint.close();
        serverEndpoint.close();
    }

    private static int abortCode(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(RxCallAbortedException.class, call).abortCode();
    }

    @Test
    void createdEntriesAreFoundByNameIdAndSuffixAndDeleted() throws Exception {
        Nvldbentry e = entry("root.cell", 536870915, 0x0A000001);
        vl.createEntryN(e);
        assertEquals(e, vl.getEntryByNameN("root.cell"));
        assertEquals(e, vl.getEntryByNameN("root.cell.readonly"));
        assertEquals(e, vl.getEntryByNameN("536870916"));
        assertEquals(e, vl.getEntryByIDN(536870917, VlConstants.BACKVOL));
        vl.deleteEntry(536870915, VlConstants.RWVOL);
        int code = abortCode(() -> vl.getEntryByNameN("root.cell"));
        assertEquals(VlErrors.VL_NOENT, code);
        assertEquals("VL_NOENT (363524): no such entry", ErrorTable.describe(code, VlErrors.TABLE));
    }

    @Test
    void duplicatesAndBadNamesAreRefusedWithTheirCodes() throws Exception {
        vl.createEntryN(entry("a", 100));
        assertEquals(VlErrors.VL_NAMEEXIST, abortCode(() -> vl.createEntryN(entry("a", 200))));
        assertEquals(VlErrors.VL_IDEXIST, abortCode(() -> vl.createEntryN(entry("b", 101))));
        assertEquals(VlErrors.VL_BADNAME, abortCode(() -> vl.createEntryN(entry("12345", 300))));
    }

    @Test
    void listAttributesN2PagesThroughEveryEntry() throws Exception {
        int n = VlProcedures.BATCH + 30;
        for (int i = 0; i < n; i++) vl.createEntryN(entry("vol" + i, 1000 + 3 * i, 0x0A000001 + (i % 3)));
        VldbListByAttributes all = new VldbListByAttributes(0, 0, 0, 0, 0, 0);
        List<String> names = new ArrayList<>();
        int next = 0;
        int batches = 0;
        while (next != -1) {
            Vl.ListAttributesN2Result r = vl.listAttributesN2(all, "", next);
            assertEquals(r.nentries(), r.blkentries().size());
            r.blkentries().forEach(e -> names.add(e.name()));
            next = r.nextstartindex();
            batches++;
        }
        assertEquals(2, batches);
        assertEquals(n, names.size());
        VldbListByAttributes onServer = new VldbListByAttributes(VlConstants.VLLIST_SERVER, 0x0A000002, 0, 0, 0, 0);
        assertEquals(n / 3, vl.listAttributesN(onServer).nentries());
    }

    @Test
    void registeredServersAreListedByIndexAndUnregisteredSlotsAreNoEntry() throws Exception {
        UUID a = UUID.fromString("00000000-0000-0000-0000-00000000000a");
        vl.registerAddrs(a, 0, new int[] {0x0A000001, 0x0A000003});
        vl.createEntryN(entry("x", 10, 0x0A000001, 0x0A000002));
        Vl.GetAddrsResult addrs = vl.getAddrs(0, 0);
        assertEquals(2, addrs.nentries());
        assertArrayEquals(new int[] {0x0A000001, 0x0A000002}, addrs.blkaddrs());
        Vl.GetAddrsUResult first = vl.getAddrsU(byIndex(1));
        assertEquals(a, first.uuidp1());
        assertArrayEquals(new int[] {0x0A000001, 0x0A000003}, first.blkaddrs());
        assertEquals(VlErrors.VL_NOENT, abortCode(() -> vl.getAddrsU(byIndex(2))));
        assertEquals(VlErrors.VL_INDEXERANGE, abortCode(() -> vl.getAddrsU(byIndex(3))));
        ListAddrByAttributes byUuid = new ListAddrByAttributes(VlConstants.VLADDR_UUID, 0, 0, 0, a);
        assertEquals(2, vl.getAddrsU(byUuid).nentries());
    }

    private static ListAddrByAttributes byIndex(int index) {
        return new ListAddrByAttributes(VlConstants.VLADDR_INDEX, 0, index, 0, new UUID(0, 0));
    }
}
