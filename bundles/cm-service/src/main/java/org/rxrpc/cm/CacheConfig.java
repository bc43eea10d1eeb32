package org.rxrpc.cm;

/** The cache configuration GetCacheConfig reports (cacheSize in KB; memCache 1 for a memory cache). */
public record CacheConfig(
        int nChunkFiles,
        int nStatCaches,
        int nDataCaches,
        int nVolumeCaches,
        int firstChunkSize,
        int otherChunkSize,
        int cacheSize,
        int setTime,
        int memCache) {
    public static final CacheConfig ZERO = new CacheConfig(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
