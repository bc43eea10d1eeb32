package org.rxrpc.rxkad;

/**
 * Where a server's keys come from: an OpenAFS configuration folder ({@link OpenAfsKeyFolder}), fixed keys
 * ({@link ServerKeyRing#fromProperties}), or any provider registered as an OSGi service. The rxkad server
 * asks for {@link #keys()} on each RESPONSE, on the I/O thread, so it must return a prepared snapshot at
 * once (no I/O); a source that changes returns a new ring, which rotates keys without a restart.
 */
@FunctionalInterface
public interface ServerKeySource {
    /** The current keys. */
    ServerKeyRing keys();
}
