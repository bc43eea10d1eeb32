package org.rxrpc.rxgen.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The benchmark measures real work: what it encodes decodes back equal, at the sizes it claims. */
class BenchmarkedValuesRoundTripTest {
    @Test
    void theVldbEntryIs476BytesAndDecodesEqual() {
        XdrBenchmark b = new XdrBenchmark();
        assertEquals(476, b.encodeVldbEntry()); // 119 units: the name alone is 65
        assertEquals(Samples.vldbEntry(), b.decodeVldbEntry());
        assertEquals(Samples.vldbEntry(), b.decodeVldbEntry(), "the decoder serves message after message");
    }

    @Test
    void theStringArrayDecodesEqual() {
        XdrBenchmark b = new XdrBenchmark();
        b.encodeStringArray();
        assertEquals(Samples.names(), b.decodeStringArray());
    }
}
