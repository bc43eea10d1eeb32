package org.rxrpc.vl.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.rxkad.LocalAuth;
import org.rxrpc.rxkad.RxkadClientSecurity;
import org.rxrpc.rxkad.RxkadServerSecurity;
import org.rxrpc.rxkad.ServerKey;
import org.rxrpc.rxkad.ServerKeyRing;
import org.rxrpc.security.NullSecurity;
import org.rxrpc.security.SecurityLevels;
import org.rxrpc.security.ServiceSecurity;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VlErrors;
import org.rxrpc.vl.sample.gen.VlStub;

/**
 * Over real UDP with real rxkad tokens: the sample VL server lets only superusers write, as OpenAFS's vlserver
 * ({@code afsconf_SuperUser}): the key holder ({@code -localauth}'s {@code afs}) and the listed names, only
 * under rxkad; everyone else, the null class included, gets VL_PERM for CreateEntryN, DeleteEntry and
 * RegisterAddrs, while reads stay open to all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VlWritesNeedASuperUserTest {
    private static final ServerKey KEY =
            ServerKey.des(7, new byte[] {1, 35, 69, 103, (byte) 137, (byte) 171, (byte) 205, (byte) 239});
    private static final ServerKeyRing KEYS = new ServerKeyRing(List.of(KEY));

    private RxEndpoint serverEndpoint;
    private RxEndpoint clientEndpoint;
    private ServiceHost server;

    @BeforeEach
    void start() {
        serverEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        clientEndpoint = new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        clientEndpoint.close();
        serverEndpoint.close();
    }

    private void serve(SuperUsers superUsers) {
        ServiceSecurity accepted = ServiceSecurity.of(
                SecurityLevels.CLEAR,
                NullSecurity.INSTANCE,
                RxkadServerSecurity.builder(KEYS).build());
        server = ServiceHost.serve(
                serverEndpoint,
                VlSampleServer.SERVICE_ID,
                4,
                accepted,
                4,
                "vl-sample",
                new VlSampleServer(new VolumeDatabase(), superUsers),
                false);
    }

    /** A VL client; {@code name} null for the null class, else an rxkad token for name.instance@cell. */
    private VlStub vl(String name, String instance, String cell, int level) {
        CallOptions options = CallOptions.DEFAULT.withHardTimeoutMillis(20_000);
        if (name != null) {
            long now = System.currentTimeMillis() / 1000;
            options = options.withSecurity(
                    new RxkadClientSecurity(LocalAuth.mint(KEY, name, instance, cell, now, 3600), level));
        }
        return new VlStub(
                clientEndpoint,
                new InetSocketAddress("127.0.0.1", serverEndpoint.localAddress().getPort()),
                VlSampleServer.SERVICE_ID,
                options,
                Duration.ofSeconds(10));
    }

    private VlStub keyHolder() {
        return new VlStub(
                clientEndpoint,
                new InetSocketAddress("127.0.0.1", serverEndpoint.localAddress().getPort()),
                VlSampleServer.SERVICE_ID,
                CallOptions.DEFAULT
                        .withHardTimeoutMillis(20_000)
                        .withSecurity(new RxkadClientSecurity(
                                LocalAuth.mint(KEYS, System.currentTimeMillis() / 1000), SecurityLevels.CRYPT)),
                Duration.ofSeconds(10));
    }

    private static void assertRefused(Executable write) {
        assertEquals(
                VlErrors.VL_PERM,
                assertThrows(RxCallAbortedException.class, write).abortCode());
    }

    /** Every write refused with VL_PERM (checked before the arguments), every read answered. */
    private static void assertMayOnlyRead(VlStub vl, int existingRwId) throws Exception {
        assertRefused(() -> vl.createEntryN(VlSampleServerTest.entry("new", 900)));
        assertRefused(() -> vl.createEntryN(VlSampleServerTest.entry("12345", 900))); // bad name: VL_PERM first
        assertRefused(() -> vl.deleteEntry(existingRwId, VlConstants.RWVOL));
        assertRefused(() -> vl.registerAddrs(new UUID(0, 1), 0, new int[] {0x0A000001}));
        assertEquals(
                existingRwId, vl.getEntryByIDN(existingRwId, VlConstants.RWVOL).volumeId()[0]);
    }

    private static void assertMayWrite(VlStub vl, String name, int rwId) throws Exception {
        vl.createEntryN(VlSampleServerTest.entry(name, rwId));
        vl.registerAddrs(new UUID(0, rwId), 0, new int[] {0x0A000001});
        vl.deleteEntry(rwId, VlConstants.RWVOL);
    }

    @Test
    void onlyTheKeyHolderAndListedNamesUnderRxkadMayWrite() throws Exception {
        serve(SuperUsers.of("my.cell", List.of("admin, ops.admin@OTHER.CELL"))); // as a configuration line
        keyHolder().createEntryN(VlSampleServerTest.entry("root.cell", 100));

        assertMayOnlyRead(vl(null, null, null, 0), 100); // the null class: never a superuser
        for (int level : new int[] {SecurityLevels.AUTH, SecurityLevels.CRYPT}) {
            assertMayOnlyRead(vl("someone", "else", "OTHER.CELL", level), 100);
            assertMayOnlyRead(vl("admin", "", "OTHER.CELL", level), 100); // another cell's admin
            assertMayOnlyRead(vl("afs", "", "my.cell", level), 100); // key holder only without a cell
            assertMayOnlyRead(vl("admin", "x", "", level), 100);

            assertMayWrite(vl("admin", "", "", level), "a" + level, 200);
            assertMayWrite(vl("admin", "", "MY.CELL", level), "b" + level, 300); // the local cell, any case
            assertMayWrite(vl("ops", "admin", "OTHER.CELL", level), "c" + level, 400);
            assertMayWrite(vl(LocalAuth.PRINCIPAL, "", "", level), "d" + level, 500);
        }
    }

    @Test
    void theUserListOfAServerConfigFolderIsReadAgainWhenItChanges(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("ThisCell"), "my.cell\n");
        Path userList = folder.resolve("UserList");
        Files.writeString(userList, "someone\n");
        serve(SuperUsers.fromConfigFolder(folder));
        keyHolder().createEntryN(VlSampleServerTest.entry("root.cell", 100));

        VlStub admin = vl("admin", "", "my.cell", SecurityLevels.CRYPT);
        assertMayOnlyRead(admin, 100);
        assertMayWrite(vl("someone", "", "", SecurityLevels.AUTH), "s", 200);

        Files.writeString(userList, "someone\nadmin\n");
        Files.setLastModifiedTime(userList, FileTime.fromMillis(System.currentTimeMillis() + 2000));
        assertMayWrite(admin, "a", 300);
    }

    @Test
    void everyoneMayWriteWithoutAuthorisationAsUnderNoAuth() throws Exception {
        serve(SuperUsers.EVERYONE);
        assertMayWrite(vl(null, null, null, 0), "n", 100);
    }
}
