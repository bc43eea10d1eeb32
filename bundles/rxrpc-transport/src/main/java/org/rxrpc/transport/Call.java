package org.rxrpc.transport;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.CallState;
import org.rxrpc.api.ReceiveNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxMessageTooLongException;
import org.rxrpc.api.RxTimeoutException;
import org.rxrpc.security.ClientSecurity;
import org.rxrpc.security.SecurityIdentity;
import org.rxrpc.transport.io.UdpAddress;
import org.rxrpc.transport.util.IntrusiveMpscQueue;
import org.rxrpc.transport.wire.Wire;

/**
 * One call. The application side (send, receive, abort, close) and the I/O thread meet in two
 * single-producer rings indexed by seq: the transmit ring (application produces packets, the I/O thread
 * frees them once hard-ACKed) and the receive ring (the I/O thread stores packets, the application
 * consumes them in order). Everything else below "I/O thread state" belongs to the I/O thread.
 */
final class Call extends IntrusiveMpscQueue.Node implements RxCall {
    /** Slots per ring: enough for the largest window (255 packets) plus the packet being filled. */
    static final int RING = 256;

    static final int RING_MASK = RING - 1;

    /** Free ring slots a writer waiting for space is woken for (see wakeWriterWhenRoomy). */
    static final int WRITER_WAKE_FREE = RING / 4;

    private static final VarHandle IO_QUEUED;
    private static final VarHandle RELEASED;
    /** A ring slot taken atomically where the application and the I/O thread may both reach for it. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(PacketBuffer[].class);

    static {
        try {
            IO_QUEUED = MethodHandles.lookup().findVarHandle(Call.class, "ioQueued", int.class);
            RELEASED = MethodHandles.lookup().findVarHandle(Call.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Endpoint endpoint;
    final boolean client;
    final int serviceId;
    /** The listener of a server call, null for a client call. */
    final Listener listener;

    final CallOptions options;

    volatile long userCallId = -1;
    volatile ReceiveNotifier notifyRx;
    volatile CallState state;
    volatile int abortCode;
    /** A client call's server, as the application gave it. */
    volatile InetSocketAddress peerAddress;
    /** A server call's client: its peer's address, once live. */
    volatile UdpAddress remote;

    // Transmit ring: written by the application up to txQueuedTop, freed by the I/O thread up to txHardAck.
    final PacketBuffer[] txRing = new PacketBuffer[RING];
    volatile int txQueuedTop;
    /** Seq of the last packet of our message once it is queued, else 0. */
    volatile int txLastSeq;

    volatile int txHardAck;
    /**
     * Where the application writes user data in a packet (the security header's size) and how much at most
     * (the class's payload for a 1412-byte body): set before the application sees the call (client:
     * newCall; server: made live), read by the application thread.
     */
    int txDataOffset;

    int txMaxData = Wire.JUMBO_DATA_SIZE;
    /**
     * The connection's security class and level, and a server call's handshake (whose identity it reports;
     * null for the null class): set before the application sees the call, like txDataOffset.
     */
    int securityIndex;

    int securityLevel;
    ServerHandshake handshake;
    // Application-private transmit state.
    private PacketBuffer txPartial;
    private int txPartialSeq;
    private boolean txLastQueued;

    // Receive ring: filled by the I/O thread (in order up to rxDelivered), consumed by the application.
    final PacketBuffer[] rxRing = new PacketBuffer[RING];
    volatile int rxDelivered;
    /** Seq of the other side's last packet once it has arrived in order, else 0. */
    volatile int rxLastSeq;

    volatile int rxConsumed;
    /** Set by the I/O thread when the advertised window got small: consuming should trigger an ACK. */
    volatile boolean wantWindowUpdate;
    // Application-private receive state.
    private PacketBuffer rxCurrent;
    private int rxCurrentOffset;

    private volatile Thread rxWaiter;
    private volatile Thread txWaiter;
    private volatile int completionWaiters;

    /** Bytes the application has sent and read: written by its threads, read racily for reports. */
    long bytesSent;

    long bytesReceived;

    /** Requests from other threads to the I/O thread. */
    volatile int pendingAbortCode;

    @SuppressWarnings("unused") // accessed through IO_QUEUED
    private volatile int ioQueued;

    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile int released;

    // ---- I/O thread state ----
    Connection conn;
    int channel;
    int callNumber;
    boolean started;
    /** Highest seq transmitted at least once. */
    int txTop;
    /** Highest seq secured by the connection's class (PacketSecurity); the null class passes them all. */
    int txSecuredTop;

    int cwnd = 4;
    int ssthresh = 128;
    int caAcked;
    /** The peer's receive window from its ACK trailer (16 until it tells us). */
    int txWindow = 16;

    int inFlight;
    int resendPending;
    boolean inRecovery;
    int recoveryPoint;
    int dupNacks;
    int rtoBackoff;
    int rxHighestStored;
    /** Every packet up to this seq is stored or delivered (the next in sequence is one more). */
    int rxContiguous;
    /** Seq of the LAST packet once stored (maybe not yet deliverable), else 0. */
    int rxHighestLast;

    int rxPendingAckPackets;
    int rxPendingAckSerial;
    int rxPendingAckReason;
    int rxAdvertisedWindow;
    int pingSerial;
    long pingSentNanos;
    long rtoDeadline;
    long ackDeadline;
    long busyRetryAt;
    long busyGiveUpAt;
    long hardDeadline;
    long startNanos;
    long lastReceiveNanos;
    long lastDataReceiveNanos;
    long lastSendNanos;
    /** The earliest of the call's timers: its place in the endpoint's timer wheel. */
    long nextTimer;
    /** The timer wheel's slot, or -1; and the neighbours in it (LiveCalls). */
    int wheelSlot = -1;

    Call wheelPrev;
    Call wheelNext;
    boolean heardFromPeer;
    /** A server call's place in its service's list of live calls, oldest first (Listener). */
    Call prevInService;

    Call nextInService;
    /** Intrusive list of the endpoint's live calls. */
    Call prevLive;

    Call nextLive;
    boolean onLiveList;

    Call(Endpoint endpoint, boolean client, int serviceId, Listener listener, CallOptions options) {
        this.endpoint = endpoint;
        this.client = client;
        this.serviceId = serviceId;
        this.listener = listener;
        this.options = options;
        this.state = client ? CallState.CLIENT_SENDING_REQUEST : CallState.PREALLOCATED;
        if (client) {
            ClientSecurity security = options.security();
            securityIndex = security.index();
            securityLevel = security.level();
        }
    }

    // ---- RxCall ----

    @Override
    public long userCallId() {
        return userCallId;
    }

    @Override
    public int serviceId() {
        return serviceId;
    }

    @Override
    public boolean isClient() {
        return client;
    }

    @Override
    public InetSocketAddress peer() {
        if (client) return peerAddress;
        UdpAddress r = remote;
        return r == null ? null : r.toSocketAddress();
    }

    @Override
    public int securityIndex() {
        return securityIndex;
    }

    @Override
    public int securityLevel() {
        return securityLevel;
    }

    @Override
    public SecurityIdentity identity() {
        ServerHandshake hs = handshake;
        return hs == null ? null : hs.identity();
    }

    @Override
    public CallState state() {
        return state;
    }

    @Override
    public int abortCode() {
        return abortCode;
    }

    @Override
    public void send(ByteBuffer data, boolean last) throws InterruptedException {
        sendFrom(data, null, 0, data.remaining(), last);
    }

    @Override
    public void send(byte[] data, int offset, int length, boolean last) throws InterruptedException {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        sendFrom(null, data, offset, length, last);
    }

    /** Copies from {@code buffer} (if not null) or {@code array} straight into packet buffers. */
    private void sendFrom(ByteBuffer buffer, byte[] array, int offset, int length, boolean last)
            throws InterruptedException {
        if (txLastQueued) throw new IllegalStateException("the last byte of this side's message was already sent");
        CallState s = state;
        if (s == CallState.PREALLOCATED || s == CallState.SERVER_RECEIVING_REQUEST) {
            throw new IllegalStateException("a server call can send its reply only after its whole request arrived");
        }
        throwIfEnded();
        bytesSent += length;
        int left = length;
        while (left > 0) {
            if (txPartial == null) startPacket();
            if (txPartial.length == txMaxData) {
                // Full: it is not the last packet, since more bytes follow.
                publishPartial(false);
                startPacket();
            }
            int n = Math.min(left, txMaxData - txPartial.length);
            int at = txDataOffset + txPartial.length;
            if (buffer != null) buffer.get(txPartial.data, at, n);
            else System.arraycopy(array, offset, txPartial.data, at, n);
            txPartial.length += n;
            offset += n;
            left -= n;
        }
        if (last) {
            if (txPartial == null) startPacket();
            txLastQueued = true;
            publishPartial(true);
        }
    }

    private void startPacket() {
        txPartial = endpoint.pool.acquire();
        txPartialSeq++;
    }

    /**
     * Waits for ring space, hands the packet being filled to the transmit ring and pokes the I/O thread.
     * Until it is in the ring the packet is ours (close() frees it); once there, the I/O thread frees it,
     * unless it ended the call before it could see the packet: then we take it back. On the I/O thread
     * (an event-loop handler) it cannot wait: a full ring is the caller's error.
     */
    private void publishPartial(boolean last) throws InterruptedException {
        PacketBuffer p = txPartial;
        int seq = txPartialSeq;
        while (seq - txHardAck >= RING) {
            throwIfEnded();
            if (endpoint.isIoThread()) {
                // The message cannot be whole any more: the call ends with an abort, the caller learns why.
                endpoint.pool.release(p);
                txPartial = null;
                abort(AbortCodes.RX_USER_ABORT);
                throw new IllegalStateException("send would block on the I/O thread: more than " + (RING - 1)
                        + " packets unacknowledged (the call is aborted); send large replies from another thread");
            }
            txWaiter = Thread.currentThread();
            if (seq - txHardAck >= RING && !state.isComplete()) LockSupport.parkNanos(this, 100_000_000L);
            txWaiter = null;
            if (Thread.interrupted()) throw new InterruptedException();
        }
        throwIfEnded();
        int slot = seq & RING_MASK;
        txRing[slot] = p;
        txPartial = null;
        if (last) txLastSeq = seq;
        txQueuedTop = seq;
        // The I/O thread publishes a call's end before it frees the ring up to txQueuedTop: either it saw
        // this packet, or we see the end here (or both, and the slot goes to whoever takes it first).
        if (state.isComplete()) {
            if (SLOT.compareAndSet(txRing, slot, p, null)) endpoint.pool.release(p);
            throwIfEnded();
        }
        requestIo();
        if (seq == 1 && !last && !endpoint.isIoThread()) {
            // The first packet of a longer message: let the I/O thread send it now if it shares our CPU,
            // rather than after we filled the ring (255 packets: 0.1-0.5 ms before a bulk call's first
            // packet left). One system call per multi-packet message; single-packet ones skip it.
            Thread.yield();
        }
    }

    private void throwIfEnded() {
        CallState s = state;
        if (s.isComplete() && s != CallState.SUCCEEDED) throw new RxCallAbortedException(s, abortCode);
        if (s == CallState.SUCCEEDED && !client) throw new IllegalStateException("call already complete");
    }

    @Override
    public int receive(ByteBuffer dst, long timeout, TimeUnit unit) throws InterruptedException {
        if (!dst.hasRemaining()) throw new IllegalArgumentException("no room in the buffer to receive into");
        return receiveInto(dst, null, 0, dst.remaining(), unit.toNanos(timeout));
    }

    @Override
    public int receive(byte[] dst, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) throw new IllegalArgumentException("no room in the array to receive into");
        return receiveInto(null, dst, offset, length, unit.toNanos(timeout));
    }

    /** Copies into {@code buffer} (if not null) or {@code array}, waiting up to the timeout for bytes. */
    private int receiveInto(ByteBuffer buffer, byte[] array, int offset, int length, long timeoutNanos)
            throws InterruptedException {
        if (endpoint.isIoThread()) timeoutNanos = 0; // an event-loop handler never waits
        long deadline = System.nanoTime() + timeoutNanos;
        int copied = 0;
        while (true) {
            if (rxCurrent != null) {
                copied += copyOut(buffer, array, offset + copied, length - copied);
                if (copied == length) return copied;
            }
            int seq = rxConsumed + 1;
            if (seq - rxDelivered <= 0) {
                rxCurrent = rxRing[seq & RING_MASK];
                rxRing[seq & RING_MASK] = null;
                rxCurrentOffset = 0;
                continue;
            }
            if (copied > 0) return copied;
            int lastSeq = rxLastSeq;
            if (lastSeq != 0 && rxConsumed == lastSeq) return -1;
            CallState s = state;
            if (s.isComplete()) {
                if (rxLastSeq != 0 && rxConsumed == rxLastSeq) return -1;
                if (rxConsumed + 1 - rxDelivered > 0) {
                    if (s == CallState.SUCCEEDED) return -1;
                    throw new RxCallAbortedException(s, abortCode);
                }
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return 0;
            rxWaiter = Thread.currentThread();
            if (rxConsumed + 1 - rxDelivered > 0 && !state.isComplete()) LockSupport.parkNanos(this, left);
            rxWaiter = null;
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    /** Copies from the current packet; when it is used up, frees it and advances rxConsumed. */
    private int copyOut(ByteBuffer buffer, byte[] array, int offset, int length) {
        int copied = 0;
        while (rxCurrent != null && copied < length) {
            int n = Math.min(length - copied, rxCurrent.length - rxCurrentOffset);
            if (buffer != null) buffer.put(rxCurrent.data, rxCurrentOffset, n);
            else System.arraycopy(rxCurrent.data, rxCurrentOffset, array, offset + copied, n);
            rxCurrentOffset += n;
            copied += n;
            if (rxCurrentOffset == rxCurrent.length) {
                PacketBuffer done = rxCurrent;
                rxCurrent = done.next;
                rxCurrentOffset = 0;
                done.next = null;
                endpoint.pool.release(done);
                if (rxCurrent == null) packetConsumed();
            }
        }
        if (rxCurrent != null && rxCurrent.length == 0) {
            // An empty packet (an empty message's LAST): consumed without copying.
            PacketBuffer done = rxCurrent;
            rxCurrent = null;
            endpoint.pool.release(done);
            packetConsumed();
        }
        bytesReceived += copied;
        return copied;
    }

    @Override
    public byte[] receiveMessage(int maxBytes, long timeout, TimeUnit unit) throws InterruptedException {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        byte[] out = new byte[Math.min(maxBytes + 1, 4096)];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (n > maxBytes) {
                    abort(client ? AbortCodes.RXGEN_CC_UNMARSHAL : AbortCodes.RXGEN_SS_UNMARSHAL);
                    throw new RxMessageTooLongException(maxBytes);
                }
                out = java.util.Arrays.copyOf(out, (int) Math.min((long) maxBytes + 1, 2L * out.length));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0)
                throw new RxTimeoutException("message not complete within " + unit.toMillis(timeout) + " ms");
            int got = receiveInto(null, out, n, out.length - n, left);
            if (got < 0) return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            n += got;
        }
    }

    @Override
    public InputStream inputStream() {
        return new CallInputStream(this);
    }

    @Override
    public OutputStream outputStream() {
        return new CallOutputStream(this);
    }

    private void packetConsumed() {
        rxConsumed = rxConsumed + 1;
        if (wantWindowUpdate) {
            wantWindowUpdate = false;
            requestIo();
        }
    }

    @Override
    public void abort(int code) {
        if (state.isComplete()) return;
        if (pendingAbortCode == 0) pendingAbortCode = code == 0 ? AbortCodes.RX_USER_ABORT : code; // first wins
        requestIo();
    }

    @Override
    public boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException {
        endpoint.checkNotIoThread();
        if (state.isComplete()) return true;
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            completionWaiters++;
            try {
                while (!state.isComplete()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                return true;
            } finally {
                completionWaiters--;
            }
        }
    }

    @Override
    public void close() {
        if (state == CallState.PREALLOCATED) {
            throw new IllegalStateException("call " + userCallId + " is charged and not live: it belongs to the"
                    + " service's backlog until the service discards it (DiscardNotifier)");
        }
        if (!release()) return; // closed (or discarded) before: once only
        // A server whose reply is fully queued is done: the transport finishes the call (final ACK).
        boolean finishing = !client && txLastQueued;
        if (!state.isComplete() && !finishing) abort(AbortCodes.RX_USER_ABORT);
        // Free what the application will no longer read. Packets the I/O thread delivers from here until
        // the call ends are freed by it (takeUnread), as it sees the call released.
        if (rxCurrent != null) {
            endpoint.pool.release(rxCurrent);
            rxCurrent = null;
        }
        takeUnread();
        if (txPartial != null) {
            endpoint.pool.release(txPartial);
            txPartial = null;
        }
    }

    /**
     * Frees the delivered packets nobody will read, each slot taken atomically: the closing thread and
     * the I/O thread ending a released call may both do it. The reader publishes its release before it
     * reads rxDelivered, and the I/O thread publishes the call's end before it reads the release, so
     * between them every delivered packet is freed, once.
     */
    void takeUnread() {
        for (int seq = rxConsumed + 1; seq - rxDelivered <= 0; seq++) {
            PacketBuffer p = (PacketBuffer) SLOT.getAndSet(rxRing, seq & RING_MASK, (PacketBuffer) null);
            if (p != null) endpoint.pool.release(p);
        }
    }

    /** I/O thread, once the call ended: frees the transmit ring up to what the application published. */
    void takeTransmitRing() {
        int top = txQueuedTop;
        for (int seq = txHardAck + 1; seq - top <= 0; seq++) {
            PacketBuffer p = (PacketBuffer) SLOT.getAndSet(txRing, seq & RING_MASK, (PacketBuffer) null);
            if (p != null) endpoint.pool.release(p);
        }
    }

    boolean isReleased() {
        return (int) RELEASED.getVolatile(this) != 0;
    }

    /**
     * Releases the call's user call ID, the first time only (Linux rxrpc_release_call): by close() once
     * live, or by the service's discard if it never went live.
     *
     * @return true if this was the first release
     */
    boolean release() {
        if (!RELEASED.compareAndSet(this, 0, 1)) return false;
        if (listener != null) listener.freeId(userCallId);
        return true;
    }

    // ---- shared helpers ----

    /** Asks the I/O thread to look at this call (new data, window update, abort, start). */
    void requestIo() {
        if (IO_QUEUED.compareAndSet(this, 0, 1)) endpoint.enqueue(this);
    }

    /** I/O thread: clears the queued mark before looking at the call, so a later request queues it again. */
    void ioDequeued() {
        IO_QUEUED.setVolatile(this, 0);
    }

    /** I/O thread: publishes the final state and wakes every waiter. */
    void publishCompletion(CallState finalState, int code) {
        abortCode = code;
        state = finalState;
        wakeWaiters();
        if (completionWaiters > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** I/O thread: wakes blocked readers and writers and tells the receive notifier. */
    void wakeWaiters() {
        Thread t = rxWaiter;
        if (t != null) LockSupport.unpark(t);
        t = txWaiter;
        if (t != null) LockSupport.unpark(t);
    }

    void wakeWriter() {
        Thread t = txWaiter;
        if (t != null) LockSupport.unpark(t);
    }

    /**
     * I/O thread, the hard ACK moved: wakes a writer waiting for ring space only once a quarter of the
     * ring is free. A receiver whose hard ACKs follow its reads (OpenAFS) moves it a few packets per ACK;
     * waking the writer for each cost a context switch per ACK (219 per 1 MiB reply at c=4, 27% of the
     * server's CPU), where it now fills 64 slots per wake-up.
     */
    void wakeWriterWhenRoomy() {
        Thread t = txWaiter;
        if (t != null && txQueuedTop + 1 - txHardAck <= RING - WRITER_WAKE_FREE) LockSupport.unpark(t);
    }

    /** Whether the other side's whole message has been received in order. */
    boolean rxComplete() {
        int last = rxLastSeq;
        return last != 0 && rxDelivered == last;
    }

    @Override
    public String toString() {
        return (client ? "client" : "server") + " call " + Integer.toHexString(conn == null ? 0 : conn.cid) + ":"
                + channel + ":" + callNumber + " service " + serviceId + " " + state;
    }
}
