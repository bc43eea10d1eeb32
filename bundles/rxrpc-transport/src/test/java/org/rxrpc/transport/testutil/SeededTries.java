package org.rxrpc.transport.testutil;

/**
 * Runs a property over many random cases from one seed: a new seed each run (printed), or the one given
 * by {@code -Drxrpc.fuzz.seed=N} to repeat a run. Each try draws from its own {@link java.util.Random}
 * derived from the seed and the try's number, and a failing try names both in its message.
 */
public final class SeededTries {
    /** The system property that repeats a run. */
    public static final String SEED_PROPERTY = "rxrpc.fuzz.seed";

    private SeededTries() {}

    /** One try of a property, given its random source. */
    @FunctionalInterface
    public interface Try {
        void run(java.util.Random random) throws Exception;
    }

    /** The seed of this run: the system property's, or a new one; printed so a failure can be repeated. */
    public static long seed(String what) {
        long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        System.out.println(what + ", seed " + seed + " (-D" + SEED_PROPERTY + "=" + seed + " repeats it)");
        return seed;
    }

    /**
     * Runs {@code property} {@code tries} times; {@code salt} keeps the properties of one class from
     * drawing the same cases.
     */
    public static void run(long seed, long salt, int tries, Try property) {
        for (int t = 0; t < tries; t++) {
            java.util.Random random = new java.util.Random(seed ^ (salt * 0x9E3779B97F4A7C15L) ^ t);
            try {
                property.run(random);
            } catch (Throwable e) {
                throw new AssertionError(
                        "seed " + seed + " try " + t + " (-D" + SEED_PROPERTY + "=" + seed + " repeats it): " + e, e);
            }
        }
    }
}
