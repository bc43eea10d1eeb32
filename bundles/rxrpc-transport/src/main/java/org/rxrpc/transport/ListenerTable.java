package org.rxrpc.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The services listened on at an endpoint. Changed by application threads under a lock; read by the I/O
 * thread without one, through a published array. A closed service stays here while it drains (new calls
 * for it get BUSY) until the I/O thread forgets it, or a new listen for its service id replaces it.
 */
final class ListenerTable {
    private final List<Listener> listeners = new ArrayList<>();
    private volatile Listener[] array = new Listener[0];

    /** @throws IllegalStateException if the service id is listened on by an open service */
    void register(Listener l, Object where) {
        synchronized (listeners) {
            for (Listener other : listeners) {
                if (other.serviceId == l.serviceId && !other.isClosed()) {
                    throw new IllegalStateException("service " + l.serviceId + " is already listened on at " + where);
                }
            }
            // A closed one still draining answers BUSY until now; the new one takes its calls from here.
            listeners.removeIf(other -> other.serviceId == l.serviceId);
            listeners.add(l);
            array = listeners.toArray(new Listener[0]);
        }
    }

    void forget(Listener l) {
        synchronized (listeners) {
            if (listeners.remove(l)) array = listeners.toArray(new Listener[0]);
        }
    }

    /** The listener for {@code serviceId}: open, or closed and still draining; else null. No lock. */
    Listener find(int serviceId) {
        for (Listener l : array) {
            if (l.serviceId == serviceId) return l;
        }
        return null;
    }

    /** A snapshot, for the I/O thread's loops. */
    Listener[] all() {
        return array;
    }

    List<Listener> copy() {
        synchronized (listeners) {
            return new ArrayList<>(listeners);
        }
    }
}
