package org.rxrpc.itests.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxUserService;
import org.rxrpc.itests.xtest.TestDispatcher;
import org.rxrpc.itests.xtest.TestStub;
import org.rxrpc.itests.xtest.XtestErrors;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.xdr.ErrorTable;
import org.rxrpc.xdr.SplitCall;

/**
 * rxgen for Java against OpenAFS's own rxgen and afs_compile_et, on everything.xg (every construct) and
 * xtest_errors.et: the same golden values encode to the same bytes in C and Java; C client stubs call our
 * Java service and our Java stub calls the C server stubs, each side checking what it decodes against its
 * own golden copy; and every error code equals compile_et's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RxgenCrossCheckWithOpenAfsRxgenTest {
    private static final int SERVICE = 4001;

    @Test
    void cStubsAndOurJavaEncodeEveryGoldenValueToTheSameBytes() {
        OpenAfsPeers.Output dump = OpenAfsPeers.run(
                Duration.ofSeconds(20), OpenAfsPeers.peer("xtest_server").toString(), "--dump");
        assertEquals(0, dump.exitCode(), dump::toString);
        Map<String, String> c = new TreeMap<>();
        for (String line : dump.stdout().split("\n")) {
            String[] f = line.split(" ", 2);
            if (f.length == 2) c.put(f[0], f[1].strip());
        }
        Map<String, String> java = new TreeMap<>();
        java.put("scalars", XtestBytes.of(XtestGolden.scalars()::encode));
        java.put("scalars2", XtestBytes.of(XtestGolden.scalars2()::encode));
        java.put("aggregate", XtestBytes.of(XtestGolden.aggregate()::encode));
        for (int i = 0; i < 4; i++) java.put("shape" + i, XtestBytes.of(XtestGolden.shape(i)::encode));
        assertEquals(c, java);
    }

    @Test
    void cClientStubsCallEveryProcedureOfOurJavaService() throws Exception {
        OpenAfsPeers.require();
        ExecutorService workers = Executors.newCachedThreadPool();
        try (RxEndpoint server =
                new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            RxUserService service = server.listenUser(SERVICE, 8, true);
            TestDispatcher dispatcher = new TestDispatcher(new XtestJavaService(), Duration.ofSeconds(20));
            AtomicLong ids = new AtomicLong();
            workers.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    RxCall call = service.accept(ids.incrementAndGet(), null, 200, TimeUnit.MILLISECONDS);
                    if (call != null) workers.submit(() -> dispatcher.dispatch(call));
                }
                return null;
            });
            OpenAfsPeers.Output out = OpenAfsPeers.run(
                    Duration.ofSeconds(90),
                    OpenAfsPeers.peer("xtest_client").toString(),
                    "127.0.0.1",
                    Integer.toString(server.localAddress().getPort()),
                    Integer.toString(SERVICE));
            assertTrue(out.stdout().contains("RESULT ok=14 failed=0"), out::toString);
            assertEquals(0, out.exitCode(), out::toString);
        } finally {
            workers.shutdownNow();
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void ourJavaStubCallsEveryProcedureOfTheCServerStubs() throws Exception {
        int port = OpenAfsPeers.freeUdpPort();
        Process c = new ProcessBuilder(
                        OpenAfsPeers.peer("xtest_server").toString(), Integer.toString(port), Integer.toString(SERVICE))
                .redirectErrorStream(true)
                .start();
        try (RxEndpoint client =
                new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0))) {
            BufferedReader lines =
                    new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                        try {
                            return lines.readLine();
                        } catch (java.io.IOException e) {
                            return e.toString();
                        }
                    })
                    .get(20, TimeUnit.SECONDS);
            assertEquals("READY", first);
            TestStub stub = new TestStub(
                    client,
                    new InetSocketAddress("127.0.0.1", port),
                    SERVICE,
                    CallOptions.DEFAULT.withHardTimeoutMillis(30_000),
                    Duration.ofSeconds(20));

            assertEquals(XtestGolden.scalars(), stub.echo(XtestGolden.scalars()));
            assertEquals(1001, abortCode(() -> stub.echo(XtestGolden.scalars2())), "C found a non-golden value");
            assertEquals(XtestGolden.aggregate(), stub.echoAggregate(XtestGolden.aggregate()));
            for (int i = 0; i < 4; i++) {
                var r = stub.echoShape(XtestGolden.shape(i), 10 * i);
                assertEquals(10 * i + 1, r.counter());
                assertEquals(XtestBytes.of(XtestGolden.shape(i)::encode), XtestBytes.of(r.t()::encode));
            }
            stub.nothing();
            String start = "thirty-two-bytes-at-the-bound-32";
            var names = stub.names(start, 8);
            assertArrayEquals(new int[] {1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007}, names.ids());
            assertEquals(start, names.first());
            assertEquals(AbortCodes.RXGEN_SS_MARSHAL, abortCode(() -> stub.names("x", 9)), "C cannot encode 9 ids");
            bulk(stub);
            assertEquals(XtestErrors.XT_TEN, abortCode(() -> stub.fail(XtestErrors.XT_TEN)));
            assertEquals(Integer.MAX_VALUE, stub.ping(Integer.MAX_VALUE - 1));
        } finally {
            c.destroyForcibly();
            c.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void bulk(TestStub stub) throws InterruptedException {
        byte[] bytes = new byte[XtestGolden.BULK_BYTES];
        int sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = XtestGolden.bulkByte(i);
            sum += bytes[i] & 0xFF;
        }
        try (SplitCall<Integer> call = stub.bulk(bytes.length)) {
            call.out().writeBytes(ByteBuffer.wrap(bytes));
            ByteBuffer back = ByteBuffer.allocate(bytes.length);
            call.in().readBytes(back);
            assertArrayEquals(bytes, back.array());
            assertEquals(sum, call.end());
        }
    }

    private static int abortCode(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(RxCallAbortedException.class, call).abortCode();
    }

    @Test
    void errorTableCodesEqualThoseOfAfsCompileEt(@TempDir Path dir) throws Exception {
        Path et = Path.of("../rxgen/rxgen-compiler/src/test/resources/xg/xtest_errors.et");
        Files.copy(et, dir.resolve("xtest_errors.et"));
        OpenAfsPeers.Output r = OpenAfsPeers.run(
                Duration.ofSeconds(30),
                "sh",
                "-c",
                "cd '" + dir + "' && '" + OpenAfsPeers.tool("afs_compile_et") + "' -p '" + dir + "' xtest_errors.et");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Integer> theirs = new HashMap<>();
        Matcher m = Pattern.compile("#define\\s+(\\w+)\\s+\\((-?\\d+)L\\)")
                .matcher(Files.readString(dir.resolve("xtest_errors.h")));
        while (m.find()) theirs.put(m.group(1), Integer.parseInt(m.group(2)));
        assertEquals(
                Map.of(
                        "ERROR_TABLE_BASE_XTST", XtestErrors.BASE,
                        "ERROR_TABLE_BASE_xtst", XtestErrors.BASE,
                        "XT_FIRST", XtestErrors.XT_FIRST,
                        "XT_SECOND", XtestErrors.XT_SECOND,
                        "XT_TEN", XtestErrors.XT_TEN,
                        "XT_ELEVEN", XtestErrors.XT_ELEVEN),
                theirs);
        assertEquals(
                "XT_TEN (" + XtestErrors.XT_TEN + "): an index skipped ahead",
                ErrorTable.describe(XtestErrors.XT_TEN, XtestErrors.TABLE));
    }
}
