package org.rxrpc.vl.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.EndpointOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.service.ServiceHost;
import org.rxrpc.transport.RxTransportImpl;
import org.rxrpc.vl.sample.gen.ListAddrByAttributes;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.vl.sample.gen.VLCallBack;
import org.rxrpc.vl.sample.gen.Vl;
import org.rxrpc.vl.sample.gen.VlConstants;
import org.rxrpc.vl.sample.gen.VldbListByAttributes;
import org.rxrpc.xdr.XdrDecoder;
import org.rxrpc.xdr.XdrEncoder;
import org.rxrpc.xdr.XdrException;

/**
 * Properties of the code rxgen generates (from vl.xg), over many random cases (a new seed each run,
 * printed; {@code -Drxrpc.xdr.seed=N} repeats one): every struct round-trips to equal values and the
 * same bytes, every cut is refused with {@link XdrException}, and any bytes or mutated encodings are
 * decoded or refused with it, never another exception. Over real calls, the generated dispatcher answers
 * any request body for any opcode with a reply or a defined abort code, never {@code RX_USER_ABORT}
 * (which would mean an exception escaped the generated decoding).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GeneratedVlCodeTakesAnyBytesTest {
    private static final int CASES = 5_000;
    private static final int CALLS = 1_500;
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = Long.getLong("rxrpc.xdr.seed", System.nanoTime());
        System.out.println(
                "generated VL code properties, seed " + seed + " (-Drxrpc.xdr.seed=" + seed + " repeats it)");
    }

    /** A generated struct: a random value of it, its encoder and its decoder. */
    private record Struct<T>(
            String name,
            Function<Random, T> random,
            Function<T, Consumer<XdrEncoder>> encode,
            Function<XdrDecoder, T> decode) {}

    private static final List<Struct<?>> STRUCTS = List.of(
            new Struct<>("nvldbentry", GeneratedVlCodeTakesAnyBytesTest::entry, v -> v::encode, Nvldbentry::decode),
            new Struct<>(
                    "VldbListByAttributes",
                    r -> new VldbListByAttributes(
                            r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt()),
                    v -> v::encode,
                    VldbListByAttributes::decode),
            new Struct<>(
                    "ListAddrByAttributes",
                    r -> new ListAddrByAttributes(
                            r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt(), new UUID(r.nextLong(), r.nextLong())),
                    v -> v::encode,
                    ListAddrByAttributes::decode),
            new Struct<>(
                    "VLCallBack",
                    r -> new VLCallBack(r.nextInt(), r.nextInt(), r.nextInt(), r.nextInt()),
                    v -> v::encode,
                    VLCallBack::decode));

    @Test
    void everyStructRoundTripsToTheSameValueAndBytesAndEveryCutIsRefused() {
        Random r = new Random(seed);
        for (int c = 0; c < CASES; c++) {
            for (Struct<?> s : STRUCTS) roundTrip(s, r, "seed " + seed + " case " + c + " " + s.name());
        }
    }

    private static <T> void roundTrip(Struct<T> s, Random r, String where) {
        T value = s.random().apply(r);
        byte[] bytes = encode(s.encode().apply(value));
        XdrDecoder in = XdrDecoder.from(ByteBuffer.wrap(bytes));
        T back = s.decode().apply(in);
        in.expectEnd();
        assertEquals(value, back, where);
        assertArrayEquals(bytes, encode(s.encode().apply(back)), where + ": the same bytes again");
        int cut = r.nextInt(bytes.length);
        try {
            s.decode().apply(XdrDecoder.from(ByteBuffer.wrap(bytes, 0, cut)));
            fail(where + ": a cut at " + cut + " of " + bytes.length + " bytes was decoded");
        } catch (XdrException expected) {
            // refused, as documented
        }
    }

    @Test
    void anyBytesOrMutatedEncodingsAreDecodedOrRefusedWithXdrExceptionOnly() {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        Map<String, int[]> outcomes = new TreeMap<>();
        for (int c = 0; c < CASES; c++) {
            for (Struct<?> s : STRUCTS) {
                byte[] bytes = r.nextBoolean() ? mutate(encodeRandom(s, r), r) : junk(r);
                String where = "seed " + seed + " case " + c + " " + s.name();
                ByteBuffer b = ByteBuffer.wrap(bytes);
                int[] counts = outcomes.computeIfAbsent(s.name(), k -> new int[2]);
                try {
                    s.decode().apply(XdrDecoder.from(b));
                    counts[0]++;
                } catch (XdrException refused) {
                    counts[1]++;
                } catch (RuntimeException | Error e) {
                    throw new AssertionError(where + ": " + e, e);
                }
                assertTrue(b.position() <= bytes.length, where);
            }
        }
        StringBuilder sb = new StringBuilder("decoded / refused:");
        outcomes.forEach((k, v) ->
                sb.append(' ').append(k).append(' ').append(v[0]).append('/').append(v[1]));
        System.out.println(sb);
    }

    @Test
    void theGeneratedDispatcherAnswersAnyRequestWithAReplyOrADefinedAbort() throws Exception {
        RxEndpoint serverEndpoint =
                new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        RxEndpoint client =
                new RxTransportImpl().open(EndpointOptions.defaults().withBind("127.0.0.1", 0));
        ServiceHost server = VlSampleServer.serve(serverEndpoint, 8, 8, new VolumeDatabase(), SuperUsers.EVERYONE);
        try {
            InetSocketAddress to = new InetSocketAddress(
                    "127.0.0.1", serverEndpoint.localAddress().getPort());
            List<Integer> opcodes = new ArrayList<>();
            for (int op = 0; op < 1000; op++) if (Vl.procedureName(op) != null) opcodes.add(op);
            assertTrue(opcodes.size() >= 10, "the VL opcodes: " + opcodes);
            Random r = new Random(seed + 7);
            Map<String, Integer> outcomes = new TreeMap<>();
            for (int c = 0; c < CALLS; c++) {
                ByteBuffer request = ByteBuffer.allocate(8192);
                int opcode = r.nextInt(10) == 0 ? r.nextInt() : opcodes.get(r.nextInt(opcodes.size()));
                if (r.nextInt(20) != 0) request.putInt(opcode);
                byte[] args =
                        r.nextBoolean() ? junk(r) : mutate(encodeRandom(STRUCTS.get(r.nextInt(STRUCTS.size())), r), r);
                request.put(args, 0, Math.min(args.length, request.remaining()));
                String outcome = call(client, to, Arrays.copyOf(request.array(), request.position()));
                outcomes.merge(outcome, 1, Integer::sum);
                assertTrue(
                        !outcome.equals(AbortCodes.name(AbortCodes.RX_USER_ABORT)) && !outcome.startsWith("no answer"),
                        "seed " + seed + " call " + c + " opcode " + opcode + ": " + outcome);
            }
            System.out.println(CALLS + " random requests: " + outcomes);
        } finally {
            server.close();
            client.close();
            serverEndpoint.close();
        }
    }

    /** How a raw call with this request body ended: "reply", or the name of its abort code. */
    private static String call(RxEndpoint client, InetSocketAddress to, byte[] request) throws InterruptedException {
        RxCall call =
                client.newCall(to, VlSampleServer.SERVICE_ID, CallOptions.DEFAULT.withHardTimeoutMillis(20_000), null);
        try {
            call.send(request, 0, request.length, true);
            call.receiveMessage(1 << 20, 20, TimeUnit.SECONDS);
            return "reply";
        } catch (RxCallAbortedException e) {
            return AbortCodes.name(e.abortCode());
        } catch (RuntimeException e) {
            return "no answer: " + e;
        } finally {
            call.close();
        }
    }

    // ---- values and bytes ----

    private static Nvldbentry entry(Random r) {
        int n = VlConstants.NMAXNSERVERS;
        return new Nvldbentry(
                name(r),
                r.nextInt(n + 1),
                ints(r, n),
                ints(r, n),
                ints(r, n),
                ints(r, VlConstants.MAXTYPES),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt(),
                r.nextInt());
    }

    /** A volume name: up to VL_MAXNAMELEN bytes, no NUL (a char vector ends at its first NUL). */
    private static String name(Random r) {
        char[] c = new char[r.nextInt(VlConstants.VL_MAXNAMELEN + 1)];
        for (int i = 0; i < c.length; i++) c[i] = (char) (1 + r.nextInt(0x7F));
        return new String(c);
    }

    private static int[] ints(Random r, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt();
        return a;
    }

    private static <T> byte[] encodeRandom(Struct<T> s, Random r) {
        return encode(s.encode().apply(s.random().apply(r)));
    }

    private static byte[] encode(Consumer<XdrEncoder> value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        XdrEncoder out = new XdrEncoder(ByteBuffer.allocate(64), (data, last) -> {
            while (data.hasRemaining()) bytes.write(data.get());
        });
        value.accept(out);
        out.finish();
        return bytes.toByteArray();
    }

    /** A few flipped bits, a cut, an extension, or a unit set to an edge value. */
    private static byte[] mutate(byte[] b, Random r) {
        byte[] m = b.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(4) && m.length > 0; i++)
                    m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> m = Arrays.copyOf(m, r.nextInt(m.length + 1));
            case 2 -> m = Arrays.copyOf(m, m.length + 1 + r.nextInt(64));
            default -> {
                if (m.length >= 4) {
                    int[] edges = {0, -1, 1, 64, 65, 0x7FFFFFFF, 0x80000000};
                    ByteBuffer.wrap(m).putInt(r.nextInt(m.length / 4) * 4, edges[r.nextInt(edges.length)]);
                }
            }
        }
        return m;
    }

    private static byte[] junk(Random r) {
        byte[] b = new byte[r.nextInt(8) == 0 ? r.nextInt(2000) : r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }
}
