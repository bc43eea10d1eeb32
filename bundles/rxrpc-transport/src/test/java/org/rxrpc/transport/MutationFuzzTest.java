package org.rxrpc.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short run of the mutation fuzzer ({@link MutationFuzzer}): 200,000 mutated OpenAFS packets over UDP
 * into a live endpoint serving rxperf while a well-behaved client keeps calling it. A new seed each run
 * (printed, with the report); {@code -Drxrpc.fuzz.seed=N} repeats one. The 10-million-datagram run is
 * {@code MutationFuzzer.main} (README "Hostile input and floods").
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MutationFuzzTest {

    @Test
    void twoHundredThousandMutatedPacketsLeaveTheEndpointServingWithNothingLeakedOrUncounted() throws Exception {
        long seed = Long.getLong("rxrpc.fuzz.seed", System.nanoTime());
        MutationFuzzer.Config config = MutationFuzzer.Config.of(200_000, seed)
                .withMaxMillis(TimeUnit.SECONDS.toMillis(90))
                .withProgressMillis(5_000);
        System.out.println("mutation fuzzer, seed " + seed + " (-Drxrpc.fuzz.seed=" + seed + " repeats it)");
        MutationFuzzer.Result result = MutationFuzzer.run(config);
        System.out.print(result.report());
        assertTrue(
                result.ok(), "seed " + seed + ": " + String.join("\n  ", result.failures()) + "\n" + result.report());
    }
}
