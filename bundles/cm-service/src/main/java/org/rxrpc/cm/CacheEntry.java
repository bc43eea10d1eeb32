package org.rxrpc.cm;

import java.util.Objects;

/**
 * One cache entry (XDR AFSDBCacheEntry, 88 bytes, or AFSDBCacheEntry64, 92 bytes, when the length is
 * 64-bit). {@code cell} is a cell number, resolved by cmdebug with GetCellByNum against {@link
 * CacheManager#cells()}.
 */
public record CacheEntry(
        int addr,
        int cell,
        AFSFid fid,
        long length,
        int dataVersion,
        LockDesc lock,
        int callback,
        int cbExpires,
        int refCount,
        int opens,
        int writers,
        int mvstat,
        int states) {
    public CacheEntry {
        Objects.requireNonNull(fid, "fid");
        Objects.requireNonNull(lock, "lock");
    }
}
