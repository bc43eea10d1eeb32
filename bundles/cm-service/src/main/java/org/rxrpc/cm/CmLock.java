package org.rxrpc.cm;

import java.util.Objects;

/** One of the cache manager's global locks (XDR AFSDBLock: name as 16 chars, then the lock). */
public record CmLock(String name, LockDesc lock) {
    public CmLock {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lock, "lock");
    }
}
