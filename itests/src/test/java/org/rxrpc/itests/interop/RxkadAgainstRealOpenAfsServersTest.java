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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.Counter;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.itests.pt.PrStub;
import org.rxrpc.itests.pt.Prcheckentry;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.OpenAfsKeyFolder;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.vl.sample.SuperUsers;
import org.rxrpc.vl.sample.VlSampleServer;
import org.rxrpc.vl.sample.VolumeDatabase;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;
import org.rxrpc.vl.sample.gen.VlStub;

/**
 * OpenAFS's ptserver and vlserver with a server key (a KeyFile by the real {@code asetkey}, no NoAuth) in a
 * network namespace of the test's own. The real {@code pts} / {@code vos} with {@code -localauth} (a ticket
 * minted from the same folder) administer them, and so does our generated PT and VL client with a
 * {@link LocalAuth} token from the same KeyFile, at auth and at crypt level, with the same answers; without a
 * ticket both are refused. The real {@code vos -localauth} also lists our sample VL server requiring rxkad.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RxkadAgainstRealOpenAfsServersTest {
    private static final String KEY = "0123456789abcdef";
    private static final int KVNO = 7;
    private static final int PT_SERVICE = 73;
    private static final int PRPERM = 267269;
    private static final int VL_PERM = 363546;
    private static final int SYSADMINID = -204;

    private static TestNetwork net;
    private static AfsDbServers servers;
    private static ServerKeyRing keys;
    private static RxEndpoint client;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        OpenAfsPeers.require();
        net = TestNetwork.create();
        servers = AfsDbServers.withKey(net, dir.resolve("server"), KVNO, KEY);
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(servers.config)) {
            keys = folder.keys();
        }
        servers.awaitReady(Duration.ofSeconds(90));
        client = new RxTransportImpl().open(EndpointOptions.defaults().withBind(net.outer, 0));
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (servers != null) servers.close();
        if (net != null) net.close();
    }

    private static OpenAfsPeers.Output tool(List<String> prefix, String tool, List<String> auth, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(OpenAfsPeers.tool(tool));
        cmd.addAll(List.of(args));
        cmd.addAll(auth);
        return OpenAfsPeers.run(Duration.ofSeconds(60), cmd.toArray(String[]::new));
    }

    private static OpenAfsPeers.Output tool(String tool, List<String> auth, String... args) {
        return tool(List.of(), tool, auth, args);
    }

    /** A call option with a fresh -localauth-like token at {@code level}; null security below 0. */
    private static CallOptions options(int level) {
        CallOptions plain = CallOptions.DEFAULT.withHardTimeoutMillis(30_000);
        if (level < 0) return plain;
        return plain.withSecurity(
                new RxkadClientSecurity(LocalAuth.mint(keys, System.currentTimeMillis() / 1000), level));
    }

    private static PrStub pt(int level) {
        return new PrStub(
                client,
                new InetSocketAddress(net.inner, AfsDbServers.PT_PORT),
                PT_SERVICE,
                options(level),
                Duration.ofSeconds(20));
    }

    private static VlStub vl(String address, int level) {
        return new VlStub(
                client,
                new InetSocketAddress(address, VlSampleServer.PORT),
                VlSampleServer.SERVICE_ID,
                options(level),
                Duration.ofSeconds(20));
    }

    @Test
    void ptsWithLocalAuthAdministersTheKeyedPtserverAndWithoutATicketIsRefused() {
        OpenAfsPeers.Output created = tool("pts", servers.localAuthArgs(), "createuser", "rxkad-carol");
        assertEquals(0, created.exitCode(), () -> created + servers.logs());
        OpenAfsPeers.Output examined = tool("pts", servers.localAuthArgs(), "examine", "rxkad-carol");
        assertEquals(0, examined.exitCode(), examined::toString);
        assertTrue(examined.stdout().startsWith("Name: rxkad-carol, id: "), examined::toString);

        OpenAfsPeers.Output refused = tool("pts", servers.toolArgs(servers.config), "createuser", "rxkad-mallory");
        assertNotEquals(0, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("Permission denied"), refused::toString);
    }

    @Test
    void vosWithLocalAuthListsTheKeyedVlserverInTheClearAndEncrypted() {
        for (List<String> encrypt : List.of(List.<String>of(), List.of("-encrypt"))) {
            List<String> args = new ArrayList<>(encrypt);
            args.addAll(servers.localAuthArgs());
            OpenAfsPeers.Output listed = tool("vos", args, "listvldb", "-noresolve");
            assertEquals(0, listed.exitCode(), listed::toString);
            assertTrue(listed.stdout().contains("Total entries: "), listed::toString);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void ourPtClientWithALocalAuthTokenAdministersThePtserverAndAgreesWithPts(int level) throws Exception {
        PrStub pt = pt(level);
        String ours = "rxkad-ours-" + SecurityLevels.name(level);
        int id = pt.newEntry(ours, 0, 0); // an administrator's call: refused without the token
        Prcheckentry entry = pt.listEntry(id);
        assertEquals(ours, entry.name());
        assertEquals(SYSADMINID, entry.owner());
        assertEquals(SYSADMINID, entry.creator());
        OpenAfsPeers.Output examined = tool("pts", servers.localAuthArgs(), "examine", ours);
        assertTrue(
                examined.stdout()
                        .startsWith("Name: " + ours + ", id: " + id + ", owner: "
                                + pt.idToName(new int[] {entry.owner()}).get(0) + ", creator: "
                                + pt.idToName(new int[] {entry.creator()}).get(0) + ","),
                examined::toString);

        String theirs = "rxkad-pts-" + SecurityLevels.name(level);
        OpenAfsPeers.Output created = tool("pts", servers.localAuthArgs(), "createuser", theirs);
        Matcher m = Pattern.compile("User " + theirs + " has id (\\d+)").matcher(created.stdout());
        assertTrue(m.find(), created::toString);
        assertArrayEquals(new int[] {Integer.parseInt(m.group(1))}, pt.nameToID(List.of(theirs)));

        pt.delete(id);
        OpenAfsPeers.Output gone = tool("pts", servers.localAuthArgs(), "examine", ours);
        assertNotEquals(0, gone.exitCode(), gone::toString);
        assertTrue(client.stats().get(Counter.RESPONSES_SENT) >= 1, () -> client.stats()
                .toString());
    }

    @Test
    void withoutATokenOurPtAndVlClientsAreRefusedAdministration() {
        RxCallAbortedException pt =
                assertThrows(RxCallAbortedException.class, () -> pt(-1).newEntry("rxkad-eve", 0, 0));
        assertEquals(PRPERM, pt.abortCode());
        RxCallAbortedException vl = assertThrows(
                RxCallAbortedException.class, () -> vl(net.inner, -1).createEntryN(volume("rxkad.eve", 536880000)));
        assertEquals(VL_PERM, vl.abortCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {SecurityLevels.AUTH, SecurityLevels.CRYPT})
    void ourVlClientWithALocalAuthTokenCreatesEntriesThatVosListsWithLocalAuth(int level) throws Exception {
        VlStub vl = vl(net.inner, level);
        String name = "rxkad.vl." + SecurityLevels.name(level);
        int rw = 536890000 + 10 * level;
        vl.createEntryN(volume(name, rw));
        try {
            assertArrayEquals(
                    new int[] {rw, rw + 1, rw + 2}, vl.getEntryByNameN(name).volumeId());
            OpenAfsPeers.Output listed = tool("vos", servers.localAuthArgs(), "listvldb", "-name", name, "-noresolve");
            assertEquals(0, listed.exitCode(), listed::toString);
            assertTrue(
                    listed.stdout().contains("\n" + name + " \n    RWrite: " + rw + " \n    number of sites -> 1\n"),
                    listed::toString);
        } finally {
            vl.deleteEntry(rw, VlConstants.RWVOL);
        }
    }

    /**
     * Our sample VL server requiring rxkad at auth or above, with the same key: the real {@code vos -localauth
     * -encrypt} (crypt) lists it as it lists the real vlserver holding the same entry; plain {@code -localauth}
     * (clear) is refused with RXKADLEVELFAIL.
     */
    @Test
    void vosWithLocalAuthListsOurSampleVlServerRequiringAuth(@TempDir Path dir) throws Exception {
        Path sampleConfig = sampleConfigFolder(dir);
        List<String> encrypted =
                List.of("-cell", AfsDbServers.CELL, "-config", sampleConfig.toString(), "-localauth", "-encrypt");
        List<String> clear = List.of("-cell", AfsDbServers.CELL, "-config", sampleConfig.toString(), "-localauth");
        Nvldbentry entry = volume("rxkad.sample", 536895000);
        VlStub real = vl(net.inner, SecurityLevels.CRYPT);
        real.createEntryN(entry);
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(sampleConfig);
                RxEndpoint sampleEndpoint = openSampleEndpoint();
                ServiceHost sample = serveSample(
                        sampleEndpoint,
                        ServiceSecurity.of(
                                SecurityLevels.AUTH,
                                RxkadServerSecurity.builder(folder).build()),
                        new VlSampleServer(new VolumeDatabase()))) {
            vl(net.outer, SecurityLevels.AUTH).createEntryN(entry);

            OpenAfsPeers.Output theirs = tool("vos", encryptedFor(servers.config), "listvldb", "-noresolve");
            OpenAfsPeers.Output mine = tool(net.inside(), "vos", encrypted, "listvldb", "-noresolve");
            assertEquals(0, theirs.exitCode(), theirs::toString);
            assertTrue(theirs.stdout().contains("rxkad.sample"), theirs::toString);
            assertEquals(theirs.stdout(), mine.stdout(), mine::toString);
            assertEquals(0, mine.exitCode(), mine::toString);

            OpenAfsPeers.Output refused = tool(net.inside(), "vos", clear, "listvldb", "-noresolve");
            assertNotEquals(0, refused.exitCode(), refused::toString);
            assertTrue(
                    sampleEndpoint.stats().get(Counter.SECURITY_LEVEL_REFUSED) >= 1,
                    () -> sampleEndpoint.stats() + "\n" + refused);
        } finally {
            real.deleteEntry(536895000, VlConstants.RWVOL);
        }
    }

    /**
     * Our sample VL server accepting the null class and rxkad, writes for superusers only (as the real
     * vlserver): the real {@code vos listvldb -noauth} reads it, {@code vos delentry -noauth} is refused with
     * VL_PERM and the entry stays; {@code vos delentry -localauth -encrypt} (the key holder) deletes it.
     */
    @Test
    void ourSampleVlServerLetsOnlyASuperUserWriteAsVosSees(@TempDir Path dir) throws Exception {
        Path sampleConfig = sampleConfigFolder(dir);
        List<String> config = List.of("-cell", AfsDbServers.CELL, "-config", sampleConfig.toString());
        List<String> noAuth = new ArrayList<>(config);
        noAuth.add("-noauth");
        List<String> localAuth = new ArrayList<>(config);
        localAuth.addAll(List.of("-localauth", "-encrypt"));
        try (OpenAfsKeyFolder folder = OpenAfsKeyFolder.open(sampleConfig);
                RxEndpoint sampleEndpoint = openSampleEndpoint();
                ServiceHost sample = serveSample(
                        sampleEndpoint,
                        ServiceSecurity.of(
                                SecurityLevels.CLEAR,
                                NullSecurity.INSTANCE,
                                RxkadServerSecurity.builder(folder).build()),
                        new VlSampleServer(new VolumeDatabase(), SuperUsers.fromConfigFolder(sampleConfig)))) {
            VlStub ours = vl(net.outer, SecurityLevels.AUTH);
            ours.createEntryN(volume("rxkad.perm", 536896000));

            OpenAfsPeers.Output read = tool(net.inside(), "vos", noAuth, "listvldb", "-noresolve");
            assertEquals(0, read.exitCode(), read::toString);
            assertTrue(read.stdout().contains("rxkad.perm"), read::toString);

            OpenAfsPeers.Output refused = tool(net.inside(), "vos", noAuth, "delentry", "-id", "rxkad.perm");
            assertNotEquals(0, refused.exitCode(), refused::toString);
            assertTrue(refused.stderr().toLowerCase(java.util.Locale.ROOT).contains("permission"), refused::toString);
            RxCallAbortedException plain = assertThrows(
                    RxCallAbortedException.class, () -> vl(net.outer, -1).deleteEntry(536896000, VlConstants.RWVOL));
            assertEquals(VL_PERM, plain.abortCode());
            assertEquals(536896000, ours.getEntryByNameN("rxkad.perm").volumeId()[0]);

            OpenAfsPeers.Output deleted = tool(net.inside(), "vos", localAuth, "delentry", "-id", "rxkad.perm");
            assertEquals(0, deleted.exitCode(), deleted::toString);
            assertTrue(deleted.stdout().contains("Deleted 1 VLDB entries"), deleted::toString);
            RxCallAbortedException gone =
                    assertThrows(RxCallAbortedException.class, () -> ours.getEntryByNameN("rxkad.perm"));
            assertEquals(VlErrors.VL_NOENT, gone.abortCode());
        }
    }

    private static RxEndpoint openSampleEndpoint() {
        return new RxTransportImpl().open(EndpointOptions.defaults().withBind(net.outer, VlSampleServer.PORT));
    }

    /** Our sample VL server on {@code endpoint}, accepting {@code security}, served on handler threads. */
    private static ServiceHost serveSample(RxEndpoint endpoint, ServiceSecurity security, VlSampleServer server) {
        return ServiceHost.serve(endpoint, VlSampleServer.SERVICE_ID, 8, security, 4, "vl-sample", server, false);
    }

    /** A server configuration folder for our sample VL server and the tools that call it: the servers' KeyFile. */
    private static Path sampleConfigFolder(Path dir) throws Exception {
        Path sampleConfig = dir.resolve("sample");
        Files.createDirectories(sampleConfig);
        Files.writeString(sampleConfig.resolve("ThisCell"), AfsDbServers.CELL + "\n");
        Files.writeString(sampleConfig.resolve("CellServDB"), AfsDbServers.cellServDb(AfsDbServers.CELL, net.outer));
        Files.copy(servers.config.resolve("KeyFile"), sampleConfig.resolve("KeyFile"));
        return sampleConfig;
    }

    private static List<String> encryptedFor(Path config) {
        return List.of("-cell", AfsDbServers.CELL, "-config", config.toString(), "-localauth", "-encrypt");
    }

    /** A volume with a read-write site on a file server of the test's subnet (data only, never contacted). */
    private static Nvldbentry volume(String name, int rwId) throws Exception {
        byte[] a = InetAddress.getByName(net.inner).getAddress();
        int server = ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | 10;
        int[] servers = new int[VlConstants.NMAXNSERVERS];
        int[] partitions = new int[VlConstants.NMAXNSERVERS];
        int[] flags = new int[VlConstants.NMAXNSERVERS];
        servers[0] = server;
        flags[0] = VlConstants.VLSF_RWVOL;
        return new Nvldbentry(
                name,
                1,
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
}
