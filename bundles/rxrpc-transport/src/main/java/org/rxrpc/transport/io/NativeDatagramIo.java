package org.rxrpc.transport.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Linux socket through {@code librxrpc_native.so} (C source in {@code src/main/c}): {@code recvmmsg}
 * straight into the batch's direct memory, {@code sendto} from the caller's direct buffer, and
 * {@code poll} on the socket and an eventfd that {@link #wakeup} writes. The native methods take and
 * return primitives only, so no path allocates once the socket is open: sources are read from a
 * preallocated direct "meta" buffer into the batch's {@link UdpAddress}es, and buffer addresses are
 * looked up once per buffer (the last batch and the last send buffer are remembered).
 *
 * <p>As the contract says, every method but {@link #wakeup} belongs to the I/O thread (the remembered
 * buffers, the meta buffer and the IPv6 scratch are unsynchronised); {@link #close} may come from another
 * thread and then waits for a call in progress to return before closing the descriptors.
 *
 * <p>Use {@link #available()} first; the constructor throws {@link IllegalStateException} without the
 * library.
 */
public final class NativeDatagramIo implements DatagramIo {
    /** Must equal ABI_VERSION in rxrpc_native.c. */
    static final int ABI_VERSION = 3;
    /** Datagrams per recvmmsg call (MAX_CHUNK in rxrpc_native.c). */
    static final int MAX_CHUNK = 64;
    /** Bytes per meta record (META_BYTES in rxrpc_native.c): length, family, port, IPv4, IPv6[16]. */
    static final int META_BYTES = 32;
    /** A batched datagram's slot: more than any Rx datagram we send (a jumbogram of our maxMTU, 5692). */
    static final int SEND_SLOT_BYTES = 8192;

    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    /** The closed bit of {@link #users}; the rest counts threads inside a system call on our descriptors. */
    private static final int CLOSED = 1 << 30;

    private final int fd;
    private final int eventFd;
    private final boolean v6Socket;
    private final int scopeId;
    private final InetSocketAddress localAddress;
    private final ByteBuffer meta =
            ByteBuffer.allocateDirect(MAX_CHUNK * META_BYTES).order(ByteOrder.nativeOrder());
    private final long metaAddress;
    private final byte[] v6Scratch = new byte[16];
    /**
     * Datagrams sent during a batch wait here and go out together (sendmmsg) at {@link #flush}: slots of
     * {@link #SEND_SLOT_BYTES}, one meta record each (the receive layout).
     */
    private final ByteBuffer sendMemory = ByteBuffer.allocateDirect(MAX_CHUNK * SEND_SLOT_BYTES);

    private final long sendMemoryAddress;
    private final ByteBuffer sendMeta =
            ByteBuffer.allocateDirect(MAX_CHUNK * META_BYTES).order(ByteOrder.nativeOrder());
    private final long sendMetaAddress;
    /** The thread between {@link #beginBatch} and {@link #flush}, else null; and its datagrams waiting. */
    private Thread batchOwner;

    private int batched;
    /** Datagrams of this batch already sent (a full batch goes at once) that failed. */
    private int failedInBatch;

    private final AtomicInteger users = new AtomicInteger();

    // I/O thread only: the last buffers seen, and their addresses.
    private ReceiveBatch lastBatch;
    private long lastBatchAddress;
    private ByteBuffer lastSendBuffer;
    private long lastSendAddress;

    /** True if the native library loaded (Linux x86-64, built with the bundle). */
    public static boolean available() {
        return NativeLibrary.available();
    }

    /** Why {@link #available()} is false, in one line for logs; null when it is true. */
    public static String unavailableReason() {
        return NativeLibrary.unavailableReason();
    }

    public NativeDatagramIo(String bindAddress, int port, int socketBufferBytes) {
        this(bindAddress, port, socketBufferBytes, false);
    }

    /** @param reusePort SO_REUSEPORT: one of several sockets of an endpoint sharing the port */
    public NativeDatagramIo(String bindAddress, int port, int socketBufferBytes, boolean reusePort) {
        if (!available()) throw new IllegalStateException("native datagram I/O unavailable: " + unavailableReason());
        String where = "cannot bind Rx endpoint to " + bindAddress + ":" + port;
        InetAddress bind;
        try {
            bind = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(where, e);
        }
        if (port < 0 || port > 0xFFFF) throw new UncheckedIOException(where, new IOException("port out of range"));
        v6Socket = bind instanceof Inet6Address;
        scopeId = v6Socket ? ((Inet6Address) bind).getScopeId() : 0;
        byte[] ip = bind.getAddress();
        int r = open0(
                v6Socket,
                v6Socket ? 0 : bytesToInt(ip, 0),
                v6Socket ? bytesToLong(ip, 0) : 0,
                v6Socket ? bytesToLong(ip, 8) : 0,
                scopeId,
                port,
                socketBufferBytes,
                reusePort);
        if (r < 0) throw new UncheckedIOException(where, new IOException(strerror0(-r)));
        fd = r;
        int e = eventfd0();
        int p = localPort0(fd);
        if (e < 0 || p < 0) {
            close0(fd);
            if (e >= 0) close0(e);
            throw new UncheckedIOException(where, new IOException(strerror0(e < 0 ? -e : -p)));
        }
        eventFd = e;
        localAddress = new InetSocketAddress(bind, p);
        metaAddress = address0(meta);
        sendMemoryAddress = address0(sendMemory);
        sendMetaAddress = address0(sendMeta);
    }

    @Override
    public int receive(ReceiveBatch batch) throws IOException {
        if (batch != lastBatch) {
            lastBatchAddress = address0(batch.memory());
            lastBatch = batch;
        }
        enter();
        try {
            int capacity = batch.capacity();
            int n = 0;
            while (n < capacity) {
                int chunk = Math.min(MAX_CHUNK, capacity - n);
                int r = receive0(
                        fd,
                        lastBatchAddress + (long) n * ReceiveBatch.SLOT_BYTES,
                        chunk,
                        ReceiveBatch.SLOT_BYTES,
                        metaAddress);
                if (r < 0) {
                    if (n > 0) break; // report what we have; the error comes back on the next call
                    batch.count(0);
                    throw error("recvmmsg", -r);
                }
                for (int i = 0; i < r; i++) readMeta(i, batch, n + i);
                n += r;
                if (r < chunk) break; // nothing more waiting
            }
            batch.count(n);
            return n;
        } finally {
            exit();
            Reference.reachabilityFence(batch);
        }
    }

    private void readMeta(int record, ReceiveBatch batch, int slot) {
        int at = record * META_BYTES;
        batch.length(slot, meta.getInt(at));
        int port = meta.getInt(at + 8);
        if (meta.getInt(at + 4) == 4) {
            batch.source(slot).setV4(meta.getInt(at + 12), port);
        } else {
            meta.get(at + 16, v6Scratch, 0, 16);
            batch.source(slot).setV6(v6Scratch, 0, port);
        }
    }

    @Override
    public void beginBatch() {
        batchOwner = Thread.currentThread();
    }

    @Override
    public int flush() throws IOException {
        batchOwner = null;
        int failed = failedInBatch + sendBatched();
        failedInBatch = 0;
        return failed;
    }

    /** Sends the datagrams waiting in the batch: how many could not be sent. */
    private int sendBatched() throws IOException {
        if (batched == 0) return 0;
        int count = batched;
        batched = 0;
        enter();
        try {
            int failed = sendBatch0(fd, v6Socket, sendMemoryAddress, count, SEND_SLOT_BYTES, sendMetaAddress, scopeId);
            if (failed < 0) throw error("sendmmsg", -failed);
            return failed;
        } finally {
            exit();
        }
    }

    /** Copies the datagram into the next send slot; a full batch goes out at once. */
    private void queue(ByteBuffer data, int length, UdpAddress to) throws IOException {
        int slot = batched;
        sendMemory.put(slot * SEND_SLOT_BYTES, data, 0, length);
        int at = slot * META_BYTES;
        sendMeta.putInt(at, length);
        sendMeta.putInt(at + 4, to.isV6() ? 6 : 4);
        sendMeta.putInt(at + 8, to.port());
        if (to.isV6()) {
            for (int i = 0; i < 16; i++) sendMeta.put(at + 16 + i, to.byteAt(i));
        } else {
            sendMeta.putInt(at + 12, to.ipv4());
        }
        batched = slot + 1;
        if (batched == MAX_CHUNK) failedInBatch += sendBatched();
    }

    @Override
    public boolean send(ByteBuffer data, int length, UdpAddress to) throws IOException {
        if (batchOwner == Thread.currentThread() && length <= SEND_SLOT_BYTES && length >= 0) {
            try {
                queue(data, length, to);
            } finally {
                data.clear(); // as the NIO version leaves it
            }
            return true;
        }
        if (data != lastSendBuffer) {
            long address = address0(data);
            if (address == 0) throw new IllegalArgumentException("not a direct buffer");
            lastSendAddress = address;
            lastSendBuffer = data;
        }
        if (length < 0 || length > data.capacity()) {
            throw new IndexOutOfBoundsException("length " + length + " of a buffer of " + data.capacity());
        }
        enter();
        try {
            int r;
            if (to.isV6()) {
                r = send0(
                        fd,
                        v6Socket,
                        lastSendAddress,
                        length,
                        true,
                        0,
                        v6Half(to, 0),
                        v6Half(to, 8),
                        scopeId,
                        to.port());
            } else {
                r = send0(fd, v6Socket, lastSendAddress, length, false, to.ipv4(), 0, 0, 0, to.port());
            }
            if (r >= 0) return true;
            if (r == -EAGAIN || r == -ENOBUFS) return false;
            throw error("sendto " + to, -r);
        } finally {
            exit();
            data.clear(); // as the NIO version leaves it
        }
    }

    @Override
    public void await(long timeoutMillis) throws IOException {
        int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutMillis));
        enter();
        try {
            int r = await0(fd, eventFd, timeout);
            if (r < 0) throw error("poll", -r);
        } finally {
            exit();
        }
    }

    @Override
    public void wakeup() {
        if ((users.getAndIncrement() & CLOSED) == 0) {
            wakeup0(eventFd); // cannot fail in practice; a failure would only delay the I/O thread to its timer
        }
        users.decrementAndGet();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public int receiveBufferSize() {
        if ((users.getAndIncrement() & CLOSED) != 0) {
            users.decrementAndGet();
            return -1;
        }
        try {
            int size = receiveBufferSize0(fd);
            return size < 0 ? -1 : size;
        } finally {
            users.decrementAndGet();
        }
    }

    /**
     * Steers the datagrams of this socket's SO_REUSEPORT group of {@code sockets} (bound in order): a
     * client's packets by its connection ID, the rest to the first socket (see rxrpc_native.c).
     */
    public void steerReusePortGroup(int sockets) throws IOException {
        int r = steer0(fd, sockets);
        if (r < 0) throw new IOException("cannot steer the SO_REUSEPORT group: " + strerror0(-r));
    }

    @Override
    public String kind() {
        return "native recvmmsg";
    }

    /**
     * Idempotent. Later calls of receive, send and await throw {@link ClosedChannelException}, wakeup
     * does nothing. If another thread is inside a call, the descriptors are closed once it has returned
     * (an await in progress is woken first), so a descriptor number is never reused under its feet.
     */
    @Override
    public void close() {
        int u;
        do {
            u = users.get();
            if ((u & CLOSED) != 0) return;
        } while (!users.compareAndSet(u, u | CLOSED));
        if ((u & ~CLOSED) != 0) {
            wakeup0(eventFd); // the descriptors are still open: end an await in progress
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((users.get() & ~CLOSED) != 0 && System.nanoTime() < deadline) Thread.yield();
        }
        close0(fd);
        close0(eventFd);
    }

    private void enter() throws ClosedChannelException {
        if ((users.getAndIncrement() & CLOSED) != 0) {
            users.decrementAndGet();
            throw new ClosedChannelException();
        }
    }

    private void exit() {
        users.decrementAndGet();
    }

    private static IOException error(String what, int errno) {
        return new IOException(what + ": " + strerror0(errno) + " (errno " + errno + ")");
    }

    private static long v6Half(UdpAddress a, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) v = v << 8 | (a.byteAt(i) & 0xFF);
        return v;
    }

    private static int bytesToInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static long bytesToLong(byte[] b, int off) {
        return (bytesToInt(b, off) & 0xFFFFFFFFL) << 32 | (bytesToInt(b, off + 4) & 0xFFFFFFFFL);
    }

    // ---- rxrpc_native.c: primitives in, primitives out (but strerror0 and address0, off the hot path) ----

    static native int abiVersion0();

    private static native String strerror0(int errno);

    private static native long address0(ByteBuffer buffer);

    private static native int open0(
            boolean v6, int ipv4, long v6hi, long v6lo, int scopeId, int port, int bufferBytes, boolean reusePort);

    private static native int steer0(int fd, int sockets);

    private static native int localPort0(int fd);

    private static native int receiveBufferSize0(int fd);

    private static native int eventfd0();

    private static native int receive0(int fd, long memory, int count, int slotBytes, long meta);

    private static native int send0(
            int fd,
            boolean v6Socket,
            long data,
            int length,
            boolean v6Dest,
            int ipv4,
            long v6hi,
            long v6lo,
            int scopeId,
            int port);

    private static native int sendBatch0(
            int fd, boolean v6socket, long memory, int count, int slotBytes, long meta, int scopeId);

    private static native int await0(int fd, int eventFd, int timeoutMillis);

    private static native int wakeup0(int eventFd);

    private static native int close0(int fd);
}
