package org.rxrpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the XDR runtime over many random cases (a new seed each run, printed;
 * {@code -Drxrpc.xdr.seed=N} repeats one): any sequence of values round-trips byte-exact, through whole
 * buffers and through a stream cut anywhere; every cut of a message and every extra unit is refused with
 * {@link XdrException}; any bytes, read as any sequence of XDR types, are decoded or refused with
 * {@link XdrException} (never another exception, never past the end, the same whether whole or
 * streamed), and cost memory in proportion to the bytes sent, not to the counts they claim.
 */
class XdrDecoderTakesAnyBytesTest {
    private static final int CASES = 10_000;
    private static long seed;

    @BeforeAll
    static void seed() {
        seed = Long.getLong("rxrpc.xdr.seed", System.nanoTime());
        System.out.println("XDR runtime properties, seed " + seed + " (-Drxrpc.xdr.seed=" + seed + " repeats it)");
    }

    /** One XDR type: writes a random value of it (returning the value) and reads one back. */
    private interface Type {
        Object write(XdrEncoder out, Random r);

        Object read(XdrDecoder in);
    }

    private static final List<Type> TYPES = List.of(
            type(r -> r.nextInt(), (o, v) -> o.writeInt((Integer) v), XdrDecoder::readInt),
            type(r -> r.nextLong(), (o, v) -> o.writeLong((Long) v), XdrDecoder::readLong),
            type(r -> r.nextBoolean(), (o, v) -> o.writeBoolean((Boolean) v), XdrDecoder::readBoolean),
            type(
                    r -> Double.doubleToRawLongBits(r.nextDouble() * 1e300),
                    (o, v) -> o.writeDouble(Double.longBitsToDouble((Long) v)),
                    in -> Double.doubleToRawLongBits(in.readDouble())),
            type(r -> new UUID(r.nextLong(), r.nextLong()), (o, v) -> o.writeUuid((UUID) v), XdrDecoder::readUuid),
            type(r -> text(r, r.nextInt(40)), (o, v) -> o.writeString((String) v, 40), in -> in.readString(40)),
            type(
                    r -> text(r, r.nextInt(3000)),
                    (o, v) -> o.writeString((String) v, Xdr.UNBOUNDED),
                    in -> in.readString(Xdr.UNBOUNDED)),
            type(
                    r -> ascii(r, r.nextInt(17)),
                    (o, v) -> o.writeCharVector((String) v, 16),
                    in -> in.readCharVector(16)),
            type(r -> bytes(r, 7), (o, v) -> o.writeFixedOpaque((byte[]) v, 7), in -> in.readFixedOpaque(7)),
            type(r -> bytes(r, r.nextInt(65)), (o, v) -> o.writeOpaque((byte[]) v, 64), in -> in.readOpaque(64)),
            type(
                    r -> bytes(r, r.nextInt(10_000)),
                    (o, v) -> o.writeOpaque((byte[]) v, Xdr.UNBOUNDED),
                    in -> in.readOpaque(Xdr.UNBOUNDED)),
            type(r -> r.nextInt(9), (o, v) -> o.writeCount((Integer) v, 8), in -> in.readCount(8)));

    @Test
    void anyValuesRoundTripWholeAndStreamedAndEveryCutOrExtraUnitIsRefused() {
        Random r = new Random(seed);
        for (int c = 0; c < CASES; c++) {
            List<Type> program = program(r);
            List<Object> values = new ArrayList<>();
            byte[] message = encode(
                    out -> {
                        for (Type t : program) values.add(t.write(out, r));
                    },
                    8 + r.nextInt(64));
            assertEquals(0, message.length % 4, "whole units");
            String where = "seed " + seed + " case " + c;
            assertEquals(
                    normalize(values), normalize(decodeAll(program, XdrDecoder.from(ByteBuffer.wrap(message)))), where);
            assertEquals(normalize(values), normalize(decodeAll(program, streamed(message, r))), where + " (streamed)");
            // A cut anywhere: the program needs every byte.
            int cut = message.length == 0 ? -1 : r.nextInt(message.length);
            if (cut >= 0) assertRefused(program, Arrays.copyOf(message, cut), where + " cut at " + cut);
            // One unit more: the end check sees it.
            XdrDecoder longer = XdrDecoder.from(ByteBuffer.wrap(Arrays.copyOf(message, message.length + 4)));
            decodeAll(program, longer);
            try {
                longer.expectEnd();
                fail(where + ": an extra unit passed expectEnd");
            } catch (XdrException expected) {
                // refused, as documented
            }
        }
    }

    @Test
    void anyBytesAreDecodedOrRefusedWithXdrExceptionNeverPastTheEndAndAlikeWholeOrStreamed() {
        Random r = new Random(seed ^ 0x9E3779B97F4A7C15L);
        for (int c = 0; c < CASES; c++) {
            byte[] junk = junk(r);
            List<Type> program = program(r);
            String where = "seed " + seed + " case " + c + " bytes "
                    + java.util.HexFormat.of().formatHex(junk);
            // The message sits inside a larger array: bytes beyond its limit must never be read.
            byte[] framed = new byte[junk.length + 64];
            Arrays.fill(framed, (byte) 0x7F);
            System.arraycopy(junk, 0, framed, 16, junk.length);
            ByteBuffer whole = ByteBuffer.wrap(framed, 16, junk.length).slice();
            Outcome a = outcome(program, XdrDecoder.from(whole), where);
            assertTrue(whole.position() <= junk.length, where);
            StreamedSource source = new StreamedSource(junk, r);
            Outcome b = outcome(program, new XdrDecoder(ByteBuffer.allocate(8 + r.nextInt(64)), source), where);
            assertEquals(a, b, where + ": the same whole or streamed");
            assertTrue(source.readsAfterEnd == 0, where + ": the source was read after its end");
        }
    }

    @Test
    void countsNearTheirLimitCostMemoryForTheBytesSentNotForTheCount() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(seed + 1);
        long worst = 0;
        for (int c = 0; c < 2_000; c++) {
            int claimed = Integer.MAX_VALUE - 8 - r.nextInt(1 << 20);
            byte[] sent = bytes(r, r.nextInt(2000));
            ByteBuffer b = ByteBuffer.allocate(4 + sent.length)
                    .putInt(claimed)
                    .put(sent)
                    .flip();
            Type t = TYPES.get(r.nextBoolean() ? 6 : 10); // unbounded string or opaque
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                t.read(XdrDecoder.from(b));
                fail("a count of " + claimed + " with " + sent.length + " bytes was accepted");
            } catch (XdrException expected) {
                // refused once the bytes ran out
            }
            worst = Math.max(worst, threads.getCurrentThreadAllocatedBytes() - before - sent.length);
        }
        System.out.println("claimed counts near 2^31: at most " + worst + " bytes allocated beyond those sent");
        assertTrue(worst < 64 * 1024, "allocated " + worst + " bytes beyond those sent");
    }

    // ---- helpers ----

    private record Outcome(List<Object> values, String refusedAt) {}

    /** The values read, or where the program was refused; fails on any exception but XdrException. */
    private static Outcome outcome(List<Type> program, XdrDecoder in, String where) {
        List<Object> values = new ArrayList<>();
        try {
            for (Type t : program) values.add(t.read(in));
            return new Outcome(normalize(values), null);
        } catch (XdrException e) {
            return new Outcome(normalize(values), "after " + values.size() + " values");
        } catch (RuntimeException | Error e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    private static void assertRefused(List<Type> program, byte[] cut, String where) {
        try {
            decodeAll(program, XdrDecoder.from(ByteBuffer.wrap(cut)));
            fail(where + ": a cut message was decoded");
        } catch (XdrException expected) {
            // refused, as documented
        }
    }

    private static List<Object> decodeAll(List<Type> program, XdrDecoder in) {
        List<Object> values = new ArrayList<>();
        for (Type t : program) values.add(t.read(in));
        return values;
    }

    /** Arrays compared by content. */
    private static List<Object> normalize(List<Object> values) {
        List<Object> out = new ArrayList<>();
        for (Object v : values)
            out.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v);
        return out;
    }

    private static List<Type> program(Random r) {
        List<Type> p = new ArrayList<>();
        int n = r.nextInt(8);
        for (int i = 0; i < n; i++) p.add(TYPES.get(r.nextInt(TYPES.size())));
        return p;
    }

    /** Random bytes, or an XDR-shaped message: units that look like counts near bounds, and zeros. */
    private static byte[] junk(Random r) {
        int n = r.nextInt(5) == 0 ? r.nextInt(4000) : r.nextInt(120);
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.remaining() >= 4 && r.nextBoolean()) {
            int[] edges = {0, 1, 7, 8, 9, 16, 17, 40, 41, 64, 65, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFFFFF7};
            b.putInt(r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextInt());
        }
        while (b.hasRemaining()) b.put((byte) r.nextInt());
        return b.array();
    }

    private static byte[] encode(java.util.function.Consumer<XdrEncoder> w, int bufferSize) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        XdrEncoder out = new XdrEncoder(ByteBuffer.allocate(bufferSize), (data, last) -> {
            while (data.hasRemaining()) bytes.write(data.get());
        });
        w.accept(out);
        out.finish();
        return bytes.toByteArray();
    }

    private static XdrDecoder streamed(byte[] message, Random r) {
        return new XdrDecoder(ByteBuffer.allocate(8 + r.nextInt(64)), new StreamedSource(message, r));
    }

    /** Hands out the bytes in random pieces, as a call's packets arrive; counts reads after its end. */
    private static final class StreamedSource implements XdrDecoder.Source {
        private final byte[] bytes;
        private final Random r;
        private int pos;
        private boolean ended;
        int readsAfterEnd;

        StreamedSource(byte[] bytes, Random r) {
            this.bytes = bytes;
            this.r = new Random(r.nextLong());
        }

        @Override
        public int read(ByteBuffer dst) {
            if (ended) readsAfterEnd++;
            if (pos == bytes.length) {
                ended = true;
                return -1;
            }
            int n = Math.min(dst.remaining(), Math.min(bytes.length - pos, 1 + r.nextInt(20)));
            dst.put(bytes, pos, n);
            pos += n;
            return n;
        }
    }

    private static String text(Random r, int maxBytes) {
        StringBuilder s = new StringBuilder();
        while (true) {
            int cp =
                    switch (r.nextInt(4)) {
                        case 0 -> 0x20 + r.nextInt(0x5F);
                        case 1 -> 0x80 + r.nextInt(0x780);
                        case 2 -> 0x800 + r.nextInt(0xD000 - 0x800);
                        default -> 0x10000 + r.nextInt(0x1000);
                    };
            String next = s + new String(Character.toChars(cp));
            if (next.getBytes(StandardCharsets.UTF_8).length > maxBytes) return s.toString();
            s.setLength(0);
            s.append(next);
        }
    }

    /** Characters without NUL (a char vector ends at its first NUL). */
    private static String ascii(Random r, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = (char) (1 + r.nextInt(0x7F));
        return new String(c);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static <V> Type type(
            java.util.function.Function<Random, V> value,
            java.util.function.BiConsumer<XdrEncoder, Object> write,
            java.util.function.Function<XdrDecoder, Object> read) {
        return new Type() {
            @Override
            public Object write(XdrEncoder out, Random r) {
                V v = value.apply(r);
                write.accept(out, v);
                return v;
            }

            @Override
            public Object read(XdrDecoder in) {
                return read.apply(in);
            }
        };
    }
}
