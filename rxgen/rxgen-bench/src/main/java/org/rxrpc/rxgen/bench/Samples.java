package org.rxrpc.rxgen.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rxrpc.rxgen.bench.gen.Namelist;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.xdr.XdrDecoder;
import org.rxrpc.xdr.XdrEncoder;

/** The values benchmarked, and an encoder and a decoder reused across operations (as a call's are). */
final class Samples {
    private Samples() {}

    /** A full VLDB entry: 13 sites in use, three volume ids, a name near its 64-character limit. */
    static Nvldbentry vldbEntry() {
        int[] servers = new int[13];
        int[] partitions = new int[13];
        int[] flags = new int[13];
        for (int i = 0; i < 13; i++) {
            servers[i] = 0x0A000001 + i;
            partitions[i] = i % 26;
            flags[i] = i == 0 ? 0x04 : 0x02;
        }
        return new Nvldbentry(
                "user.a-fairly-long-volume-name-for-the-benchmark.readonly",
                13,
                servers,
                partitions,
                flags,
                new int[] {536870912, 536870913, 536870914},
                0,
                0x3000,
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

    /** 100 volume names of 12 to 30 characters. */
    static Namelist names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) names.add("user.volume-" + "x".repeat(i % 19) + i);
        return new Namelist(names);
    }

    /** An encoder whose full buffers are dropped (the benchmark measures encoding, not sending). */
    static XdrEncoder encoder() {
        return new XdrEncoder(ByteBuffer.allocate(4096), (data, last) -> data.position(data.limit()));
    }

    /** The bytes of a value, and a decoder that reads them again after each {@link Replay#rewind()}. */
    static final class Replay implements XdrDecoder.Source {
        private final ByteBuffer bytes;
        final XdrDecoder decoder = new XdrDecoder(ByteBuffer.allocate(4096), this);

        Replay(java.util.function.Consumer<XdrEncoder> value) {
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            value.accept(XdrEncoder.into(b));
            bytes = b.flip();
        }

        XdrDecoder rewind() {
            bytes.rewind();
            decoder.reset();
            return decoder;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!bytes.hasRemaining()) return -1;
            int n = Math.min(dst.remaining(), bytes.remaining());
            int limit = bytes.limit();
            bytes.limit(bytes.position() + n);
            dst.put(bytes);
            bytes.limit(limit);
            return n;
        }
    }
}
