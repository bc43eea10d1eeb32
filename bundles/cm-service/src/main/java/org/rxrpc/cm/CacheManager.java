package org.rxrpc.cm;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A Java cache manager behind the RXAFSCB service: supplies what cmdebug asks for and receives callback
 * breaks and init-callback-state events from file servers. Every method has a default answering valid
 * empty data. Methods are called on the service's handler threads, possibly several at once, or, for a
 * cache manager that {@linkplain #answersWithoutBlocking() answers without blocking}, on the transport's
 * I/O thread.
 */
@ConsumerType
public interface CacheManager {
    /**
     * True if every method returns at once, never waiting for a lock held long, a disk or the network: the
     * service then answers on the transport's I/O thread (no hand-off to a handler thread and back, the
     * largest cost of a small call). A method taking over a millisecond there delays every call of the
     * endpoint, and is counted and logged. Default false: handler threads.
     */
    default boolean answersWithoutBlocking() {
        return false;
    }

    /** Global locks, in GetLock index order. */
    default List<CmLock> locks() {
        return List.of();
    }

    /** Cache entries, in GetCE / GetCE64 index order. */
    default List<CacheEntry> cacheEntries() {
        return List.of();
    }

    /** Known cells, in GetCellServDB index order; GetCellByNum looks up {@link Cell#number()}. */
    default List<Cell> cells() {
        return List.of();
    }

    /** The local cell's name ("" when none). */
    default String localCell() {
        return "";
    }

    default CacheConfig cacheConfig() {
        return CacheConfig.ZERO;
    }

    /** Server preferences, in GetServerPrefs index order. */
    default List<ServerPref> serverPrefs() {
        return List.of();
    }

    /** The interfaces reported to WhoAreYou / TellMeAboutYourself (at most 32); null: 127.0.0.1. */
    default List<CmInterface> interfaces() {
        return null;
    }

    /** This cache manager's UUID; null: the server's own random one, stable for its lifetime. */
    default UUID uuid() {
        return null;
    }

    /** A file server broke callbacks (CallBack, op 204); {@code callBacks} may be shorter than {@code fids}. */
    default void callBack(InetSocketAddress server, List<AFSFid> fids, List<AFSCallBack> callBacks) {}

    /**
     * A file server dropped all callbacks it gave us (InitCallBackState, op 205, with {@code serverUuid}
     * null; InitCallBackState3, op 213, with the server's UUID).
     */
    default void initCallBackState(InetSocketAddress server, UUID serverUuid) {}
}
