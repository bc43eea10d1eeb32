package org.rxrpc.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;
import org.rxrpc.api.RxMessageTooLongException;
import org.rxrpc.api.RxTimeoutException;
import org.rxrpc.security.SecurityIdentity;

/**
 * A call whose first request bytes the I/O thread already read (an {@link RxEventLoopHandler}'s call
 * handed to a handler thread): reading starts again from the first byte, the gathered bytes first, then
 * the rest from the transport. One per call slot, reused, so the hand-off allocates nothing.
 */
final class GatheredCall implements RxCall {
    private RxCall call;
    private ByteBuffer gathered;
    /** The gathered bytes are the whole request: after them the message ends. */
    private boolean gatheredAll;

    void reset(RxCall call, ByteBuffer gathered, boolean gatheredAll) {
        this.call = call;
        this.gathered = gathered;
        this.gatheredAll = gatheredAll;
    }

    void clear() {
        call = null;
        gathered = null;
    }

    @Override
    public int receive(ByteBuffer dst, long timeout, TimeUnit unit) throws InterruptedException {
        if (!dst.hasRemaining()) throw new IllegalArgumentException("no room in the buffer to receive into");
        if (gathered.hasRemaining()) {
            int n = Math.min(dst.remaining(), gathered.remaining());
            int limit = gathered.limit();
            gathered.limit(gathered.position() + n);
            dst.put(gathered);
            gathered.limit(limit);
            return n;
        }
        return gatheredAll ? -1 : call.receive(dst, timeout, unit);
    }

    @Override
    public int receive(byte[] dst, int offset, int length, long timeout, TimeUnit unit) throws InterruptedException {
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) throw new IllegalArgumentException("no room in the array to receive into");
        if (gathered.hasRemaining()) {
            int n = Math.min(length, gathered.remaining());
            gathered.get(dst, offset, n);
            return n;
        }
        return gatheredAll ? -1 : call.receive(dst, offset, length, timeout, unit);
    }

    @Override
    public byte[] receiveMessage(int maxBytes, long timeout, TimeUnit unit) throws InterruptedException {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        byte[] out = new byte[Math.min(maxBytes + 1, Math.max(gathered.remaining() + 1, 4096))];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (n > maxBytes) {
                    call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
                    throw new RxMessageTooLongException(maxBytes);
                }
                out = Arrays.copyOf(out, (int) Math.min((long) maxBytes + 1, 2L * out.length));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new RxTimeoutException("message not complete within " + unit.toMillis(timeout) + " ms");
            }
            int got = receive(out, n, out.length - n, left, TimeUnit.NANOSECONDS);
            if (got < 0) return n == out.length ? out : Arrays.copyOf(out, n);
            n += got;
        }
    }

    @Override
    public InputStream inputStream() {
        return new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                try {
                    int n;
                    do n = receive(b, off, len, 1, TimeUnit.HOURS);
                    while (n == 0);
                    return n;
                } catch (RxCallAbortedException e) {
                    throw new IOException("call aborted: " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
        };
    }

    // The rest is the transport's call as it is.

    @Override
    public OutputStream outputStream() {
        return call.outputStream();
    }

    @Override
    public void send(ByteBuffer data, boolean last) throws InterruptedException {
        call.send(data, last);
    }

    @Override
    public void send(byte[] data, int offset, int length, boolean last) throws InterruptedException {
        call.send(data, offset, length, last);
    }

    @Override
    public long userCallId() {
        return call.userCallId();
    }

    @Override
    public int serviceId() {
        return call.serviceId();
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public InetSocketAddress peer() {
        return call.peer();
    }

    @Override
    public int securityIndex() {
        return call.securityIndex();
    }

    @Override
    public int securityLevel() {
        return call.securityLevel();
    }

    @Override
    public SecurityIdentity identity() {
        return call.identity();
    }

    @Override
    public void abort(int code) {
        call.abort(code);
    }

    @Override
    public CallState state() {
        return call.state();
    }

    @Override
    public int abortCode() {
        return call.abortCode();
    }

    @Override
    public boolean awaitCompletion(long timeout, TimeUnit unit) throws InterruptedException {
        return call.awaitCompletion(timeout, unit);
    }

    @Override
    public void close() {
        call.close();
    }

    @Override
    public String toString() {
        return String.valueOf(call);
    }
}
