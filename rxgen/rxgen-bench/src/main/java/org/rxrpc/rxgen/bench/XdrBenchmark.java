package org.rxrpc.rxgen.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rxrpc.rxgen.bench.gen.Namelist;
import org.rxrpc.vl.sample.gen.Nvldbentry;
import org.rxrpc.xdr.XdrEncoder;

/**
 * Encode and decode of generated types through a reused encoder/decoder (as a call's are): a VLDB entry
 * (nvldbentry, 476 bytes) and an array of 100 strings. Run with {@code -prof gc} for bytes per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class XdrBenchmark {
    private final Nvldbentry entry = Samples.vldbEntry();
    private final Namelist names = Samples.names();
    private final XdrEncoder encoder = Samples.encoder();
    private final Samples.Replay entryBytes = new Samples.Replay(entry::encode);
    private final Samples.Replay nameBytes = new Samples.Replay(names::encode);

    @Benchmark
    public long encodeVldbEntry() {
        encoder.reset();
        entry.encode(encoder);
        return encoder.size();
    }

    @Benchmark
    public Nvldbentry decodeVldbEntry() {
        return Nvldbentry.decode(entryBytes.rewind());
    }

    @Benchmark
    public long encodeStringArray() {
        encoder.reset();
        names.encode(encoder);
        return encoder.size();
    }

    @Benchmark
    public Namelist decodeStringArray() {
        return Namelist.decode(nameBytes.rewind());
    }
}
