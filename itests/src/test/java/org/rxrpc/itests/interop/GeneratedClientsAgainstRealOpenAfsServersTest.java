package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.itests.pt.PrStub;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.vl.sample.SuperUsers;
import org.rxrpc.vl.sample.VlSampleServer;
import org.rxrpc.vl.sample.VolumeDatabase;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.Vl;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;
import org.rxrpc.vl.sample.gen.VlStub;
import org.rxrpc.vl.sample.gen.VldbListByAttributes;
import org.rxrpc.xdr.ErrorTable;

/**
 * Generated Java against real OpenAFS database servers, both ways: our VL and PT clients (from our own
 * vl.xg and pt.xg) create, read, list and delete entries on a real vlserver and ptserver, and the real
 * {@code vos} / {@code pts} print what we wrote; the real {@code vos} queries our sample VL server and
 * prints exactly what it prints for the real vlserver holding the same entries. The servers run in a
 * network namespace of the test's own (ubik refuses loopback).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GeneratedClientsAgainstRealOpenAfsServersTest {
    private static final int PT_SERVICE = 73;
    private static final int ANONYMOUSID = 32766;

    private static TestNetwork net;
    private static AfsDbServers servers;
    private static Path config;
    private static RxEndpoint client;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        OpenAfsPeers.require();
        net = TestNetwork.create();
        config = dir.resolve("server");
        servers = new AfsDbServers(net, config);
        servers.awaitReady(Duration.ofSeconds(90));
        client = new RxTransportImpl().open(EndpointOptions.defaults().withBind(net.outer, 0));
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (servers != null) servers.close();
        if (net != null) net.close();
    }

    private static VlStub vl(String address, int port) {
        return new VlStub(
                client,
                new InetSocketAddress(address, port),
                VlSampleServer.SERVICE_ID,
                CallOptions.DEFAULT.withHardTimeoutMillis(30_000),
                Duration.ofSeconds(20));
    }

    /** An address of the test's subnet as VL stores it (host byte order): data only, never contacted. */
    private static int fileServer(int last) throws Exception {
        byte[] a = InetAddress.getByName(net.inner).getAddress();
        return ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | last;
    }

    private static Nvldbentry volume(String name, int rwId) throws Exception {
        int[] servers = new int[VlConstants.NMAXNSERVERS];
        int[] partitions = new int[VlConstants.NMAXNSERVERS];
        int[] flags = new int[VlConstants.NMAXNSERVERS];
        servers[0] = fileServer(10);
        flags[0] = VlConstants.VLSF_RWVOL;
        servers[1] = fileServer(11);
        partitions[1] = 1; // /vicepb
        flags[1] = VlConstants.VLSF_ROVOL;
        return new Nvldbentry(
                name,
                2,
                servers,
                partitions,
                flags,
                new int[] {rwId, rwId + 1, rwId + 2},
                0,
                VlConstants.VLF_RWEXISTS | VlConstants.VLF_ROEXISTS,
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

    private static OpenAfsPeers.Output vos(List<String> prefix, Path configDir, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(OpenAfsPeers.tool("vos"));
        cmd.addAll(List.of(args));
        cmd.addAll(servers.toolArgs(configDir));
        return OpenAfsPeers.run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    }

    private static int abortCode(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(RxCallAbortedException.class, call).abortCode();
    }

    @Test
    void ourVlClientCreatesReadsListsAndDeletesEntriesThatVosPrints() throws Exception {
        VlStub vl = vl(net.inner, AfsDbServers.VL_PORT);
        Nvldbentry one = volume("rxgen.one", 536871000);
        Nvldbentry two = volume("rxgen.two", 536871010);
        vl.createEntryN(one);
        vl.createEntryN(two);

        Nvldbentry read = vl.getEntryByNameN("rxgen.one");
        assertEquals("rxgen.one", read.name());
        assertArrayEquals(one.volumeId(), read.volumeId());
        assertEquals(2, read.nServers());
        assertEquals(fileServer(11), read.serverNumber()[1]);

        Vl.ListAttributesN2Result all = vl.listAttributesN2(new VldbListByAttributes(0, 0, 0, 0, 0, 0), "", 0);
        List<String> names = new ArrayList<>();
        all.blkentries().forEach(e -> names.add(e.name()));
        assertTrue(names.containsAll(List.of("rxgen.one", "rxgen.two")), names::toString);

        OpenAfsPeers.Output listed = vos(List.of(), config, "listvldb", "-noresolve");
        assertEquals(0, listed.exitCode(), listed::toString);
        assertTrue(
                listed.stdout()
                        .contains("rxgen.one \n    RWrite: 536871000     ROnly: 536871001 \n"
                                + "    number of sites -> 2\n       server " + net.inner.replaceFirst("\\.1$", ".10")
                                + " partition /vicepa RW Site \n"),
                listed::toString);
        assertTrue(listed.stdout().contains("Total entries: 2"), listed::toString);

        vl.deleteEntry(536871010, VlConstants.RWVOL);
        int code = abortCode(() -> vl.getEntryByNameN("rxgen.two"));
        assertEquals(VlErrors.VL_NOENT, code);
        assertEquals("VL_NOENT (363524): no such entry", ErrorTable.describe(code, VlErrors.TABLE));
        OpenAfsPeers.Output after = vos(List.of(), config, "listvldb", "-noresolve");
        assertTrue(after.stdout().contains("Total entries: 1"), after::toString);
    }

    /** Every test leaves the real vlserver empty, whatever happened: the comparison needs it so. */
    @AfterEach
    void emptyTheVldb() throws InterruptedException {
        VlStub vl = vl(net.inner, AfsDbServers.VL_PORT);
        for (Nvldbentry e :
                vl.listAttributesN(new VldbListByAttributes(0, 0, 0, 0, 0, 0)).blkentries()) {
            vl.deleteEntry(e.volumeId()[VlConstants.RWVOL], VlConstants.RWVOL);
        }
    }

    @Test
    void ourPtClientCreatesReadsListsAndDeletesEntriesThatPtsExamines() throws Exception {
        PrStub pt = new PrStub(
                client,
                new InetSocketAddress(net.inner, AfsDbServers.PT_PORT),
                PT_SERVICE,
                CallOptions.DEFAULT.withHardTimeoutMillis(30_000),
                Duration.ofSeconds(20));
        int id = pt.newEntry("rxgen-alice", 0, 0);
        assertTrue(id > 0, "a user gets a positive id");
        assertArrayEquals(new int[] {id, ANONYMOUSID}, pt.nameToID(List.of("rxgen-alice", "rxgen-nobody")));
        assertEquals(List.of("rxgen-alice"), pt.idToName(new int[] {id}));
        assertEquals("rxgen-alice", pt.listEntry(id).name());
        assertEquals(id, pt.listEntry(id).id());

        List<String> pts = new ArrayList<>(List.of(OpenAfsPeers.tool("pts"), "examine", "rxgen-alice"));
        pts.addAll(servers.toolArgs(config));
        OpenAfsPeers.Output examined = OpenAfsPeers.run(Duration.ofSeconds(60), pts.toArray(String[]::new));
        assertTrue(examined.stdout().contains("Name: rxgen-alice, id: " + id + ","), examined::toString);

        pt.delete(id);
        OpenAfsPeers.Output gone = OpenAfsPeers.run(Duration.ofSeconds(60), pts.toArray(String[]::new));
        assertNotEquals(0, gone.exitCode(), gone::toString);
        assertArrayEquals(new int[] {ANONYMOUSID}, pt.nameToID(List.of("rxgen-alice")));
    }

    @Test
    void vosPrintsTheSameForOurSampleServerAsForTheRealVlserver(@TempDir Path dir) throws Exception {
        List<Nvldbentry> entries = List.of(volume("rxgen.same.a", 536872000), volume("rxgen.same.b", 536872010));
        // file server .10 registers two addresses (as a fileserver does at start); .11 never registers
        UUID fileServer = UUID.fromString("5a9c1f2e-9234-4bcd-8e9f-a1b2c3d4e5f6");
        int[] addresses = {fileServer(10), fileServer(12)};
        VlStub real = vl(net.inner, AfsDbServers.VL_PORT);
        real.registerAddrs(fileServer, 0, addresses);
        for (Nvldbentry e : entries) real.createEntryN(e);

        // our sample on the host side of the veth pair; vos runs in the namespace with a CellServDB naming it
        Path sampleConfig = dir.resolve("sample");
        Files.createDirectories(sampleConfig);
        Files.writeString(sampleConfig.resolve("ThisCell"), AfsDbServers.CELL + "\n");
        Files.writeString(sampleConfig.resolve("CellServDB"), AfsDbServers.cellServDb(AfsDbServers.CELL, net.outer));
        try (RxEndpoint sampleEndpoint = new RxTransportImpl()
                        .open(EndpointOptions.defaults().withBind(net.outer, VlSampleServer.PORT));
                ServiceHost sample =
                        VlSampleServer.serve(sampleEndpoint, 8, 4, new VolumeDatabase(), SuperUsers.EVERYONE)) {
            VlStub ours = vl(net.outer, VlSampleServer.PORT);
            ours.registerAddrs(fileServer, 0, addresses);
            for (Nvldbentry e : entries) ours.createEntryN(e);
            for (String[] command : new String[][] {
                {"listvldb", "-noresolve"},
                {"listvldb", "-name", "rxgen.same.b", "-noresolve"},
                {"listaddrs", "-noresolve"}
            }) {
                OpenAfsPeers.Output theirs = vos(List.of(), config, command);
                OpenAfsPeers.Output mine = vos(net.inside(), sampleConfig, command);
                assertEquals(0, theirs.exitCode(), theirs::toString);
                String printed =
                        command[0].equals("listaddrs") ? net.inner.replaceFirst("\\.1$", ".12") : "rxgen.same.b";
                assertTrue(theirs.stdout().contains(printed), theirs::toString);
                assertEquals(theirs.stdout(), mine.stdout(), () -> "vos " + String.join(" ", command) + "\n" + mine);
                assertEquals(0, mine.exitCode(), mine::toString);
            }
            assertTrue(sample.callsServed() >= 5);
        }
    }
}
