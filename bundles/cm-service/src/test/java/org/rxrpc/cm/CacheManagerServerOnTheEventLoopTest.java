package org.rxrpc.cm;

/**
 * Every behaviour of {@link CacheManagerServerTest} again with a cache manager that answers without blocking:
 * the generated dispatcher then decodes the gathered request and replies on the transport's I/O thread.
 */
class CacheManagerServerOnTheEventLoopTest extends CacheManagerServerTest {
    @Override
    boolean onTheEventLoop() {
        return true;
    }
}
