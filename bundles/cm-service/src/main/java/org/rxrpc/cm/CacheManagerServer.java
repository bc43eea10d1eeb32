package org.rxrpc.cm;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.cm.rxafscb.RxafscbDispatcher;
import org.rxrpc.service.RxEventLoopHandler;
import org.rxrpc.service.ServiceHost;

/**
 * The AFS cache-manager callback service (RXAFSCB, service 1) as a call handler: the dispatcher generated
 * from rxafscb.xg reads the opcode and the arguments, and its procedures ({@link RxafscbProcedures}) ask
 * the {@link CacheManager} (or answer valid empty data without one). Serve it with {@link #serve} or publish it on the whiteboard (the cm bundle
 * does). With a cache manager that {@linkplain CacheManager#answersWithoutBlocking() answers without
 * blocking} (and with none) calls are served on the transport's I/O thread as an {@link RxEventLoopHandler}.
 */
public class CacheManagerServer implements RxEventLoopHandler {
    private static final Duration READ_WAIT = Duration.ofSeconds(60);
    private static final CacheManager EMPTY = new CacheManager() {
        @Override
        public boolean answersWithoutBlocking() {
            return true;
        }
    };

    private volatile CacheManager cacheManager;
    private final UUID ownUuid = UUID.randomUUID();
    private final RxafscbDispatcher dispatcher =
            new RxafscbDispatcher(new RxafscbProcedures(this::cm, this::uuid), READ_WAIT);

    /** @param cacheManager the data source and event sink; null answers valid empty data */
    public CacheManagerServer(CacheManager cacheManager) {
        this.cacheManager = cacheManager;
    }

    /** Without OSGi: listens for RXAFSCB (service 1) on {@code endpoint} and serves it until closed. */
    public static ServiceHost serve(RxEndpoint endpoint, int backlog, int maxLiveCalls, CacheManager cacheManager) {
        return ServiceHost.serve(
                endpoint,
                Rxafscb.SERVICE_ID,
                backlog,
                maxLiveCalls,
                "rxafscb-worker",
                new CacheManagerServer(cacheManager));
    }

    @Override
    public void handle(RxCall call) {
        dispatcher.dispatch(call);
    }

    /** On the I/O thread: served there when the cache manager answers without blocking, else handed off. */
    @Override
    public boolean onRequest(RxCall call, ByteBuffer request) {
        if (!cm().answersWithoutBlocking()) return false;
        dispatcher.dispatchGathered(call, request);
        return true;
    }

    /** Drops {@code cm} if it is the current cache manager (a whiteboard unbind). */
    protected synchronized void clearCacheManager(CacheManager cm) {
        if (cacheManager == cm) cacheManager = null;
    }

    /** Replaces the cache manager (null: valid empty data); calls in progress may still see the old one. */
    public synchronized void setCacheManager(CacheManager cacheManager) {
        this.cacheManager = cacheManager;
    }

    /** The UUID this server reports: the cache manager's, else its own random one. */
    public UUID uuid() {
        UUID u = cm().uuid();
        return u != null ? u : ownUuid;
    }

    private CacheManager cm() {
        CacheManager c = cacheManager;
        return c != null ? c : EMPTY;
    }
}
