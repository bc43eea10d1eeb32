package org.rxrpc.transport.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An unbounded multi-producer single-consumer queue whose items carry their own link (Vyukov's intrusive
 * queue): offer and poll allocate nothing, unlike {@link java.util.concurrent.ConcurrentLinkedQueue}
 * which allocates a node per offer. An item may be in the queue at most once at a time (the caller
 * guarantees it, e.g. with a "queued" flag); only the consumer thread polls.
 */
public final class IntrusiveMpscQueue<T extends IntrusiveMpscQueue.Node> {
    /** What an item extends: its link in the queue. */
    public abstract static class Node {
        volatile Node mpscNext;
    }

    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Node.class, "mpscNext", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Stub extends Node {}

    private final Node stub = new Stub();
    /** Producers swap themselves in here. */
    private final AtomicReference<Node> tail = new AtomicReference<>(stub);
    /** Consumer-owned. */
    private Node head = stub;

    /** Any thread. */
    public void offer(T item) {
        NEXT.setRelease(item, (Node) null);
        Node previous = tail.getAndSet(item);
        NEXT.setRelease(previous, item); // until this store the item is invisible to the consumer
    }

    /** Consumer thread: the oldest item, or null if none is (fully) published yet. */
    @SuppressWarnings("unchecked")
    public T poll() {
        Node h = head;
        Node next = (Node) NEXT.getAcquire(h);
        if (h == stub) {
            if (next == null) return null;
            head = next;
            h = next;
            next = (Node) NEXT.getAcquire(h);
        }
        if (next != null) {
            head = next;
            return (T) h;
        }
        if (h != tail.get()) return null; // a producer is between its swap and its link: next time
        offerStub();
        next = (Node) NEXT.getAcquire(h);
        if (next != null) {
            head = next;
            return (T) h;
        }
        return null;
    }

    /**
     * Whether nothing is queued (a racing offer may make this stale at once). Reads the tail, which an offer
     * swaps with a full fence, not the link it stores after with a release store only: a consumer that
     * publishes "I am going to sleep" (a volatile write) and then finds the queue empty must not miss an
     * offer whose producer then read "not sleeping" and so wakes nobody (Dekker). The release store of the
     * link can still sit in the producer's store buffer past its read of the flag; the swap cannot.
     */
    public boolean isEmpty() {
        // A head other than the stub is an item not yet taken; a tail other than the stub, an item offered.
        return head == stub && tail.get() == stub;
    }

    private void offerStub() {
        NEXT.setRelease(stub, (Node) null);
        Node previous = tail.getAndSet(stub);
        NEXT.setRelease(previous, stub);
    }
}
