package org.rxrpc.xdr;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallState;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;

/**
 * The one adapter between XDR and an {@link RxCall}: an encoder whose full buffer goes to
 * {@link RxCall#send}, a decoder refilled by {@link RxCall#receive} with a timeout. The buffers are reused:
 * each thread keeps one idle adapter (a nested call on the same thread gets a fresh one).
 */
final class CallIo implements XdrEncoder.Sink, XdrDecoder.Source {
    private static final int BUFFER_BYTES = 4096;
    private static final ThreadLocal<CallIo> IDLE = new ThreadLocal<>();

    private final XdrEncoder out = new XdrEncoder(ByteBuffer.allocate(BUFFER_BYTES), this);
    private final XdrDecoder in = new XdrDecoder(ByteBuffer.allocate(BUFFER_BYTES), this);
    private RxCall call;
    private long timeoutNanos;
    private boolean client;
    private ByteBuffer gathered;

    private CallIo() {}

    /** An adapter for {@code call}; {@link #release} it when the call is over. */
    static CallIo acquire(RxCall call, long timeoutNanos) {
        CallIo io = IDLE.get();
        if (io != null) IDLE.remove();
        else io = new CallIo();
        io.call = call;
        io.timeoutNanos = timeoutNanos;
        io.client = call.isClient();
        io.out.reset();
        io.in.reset();
        return io;
    }

    /**
     * An adapter for a server call whose request is already whole in {@code request}: reads take from it and
     * never wait; its end is the message's end.
     */
    static CallIo acquireGathered(RxCall call, ByteBuffer request) {
        CallIo io = acquire(call, 0);
        io.gathered = request;
        return io;
    }

    void release() {
        gathered = null;
        call = null;
        IDLE.set(this);
    }

    RxCall call() {
        return call;
    }

    XdrEncoder out() {
        return out;
    }

    XdrDecoder in() {
        return in;
    }

    @Override
    public void write(ByteBuffer data, boolean last) {
        try {
            call.send(data, last);
        } catch (InterruptedException e) {
            throw new CallInterrupted(e);
        }
    }

    /** A client's first read ends its request. A wait longer than the timeout aborts the call. */
    @Override
    public int read(ByteBuffer dst) {
        if (gathered != null) return readGathered(dst);
        if (client && !out.isFinished()) out.finish();
        int n;
        try {
            n = call.receive(dst, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw new CallInterrupted(e);
        }
        if (n == 0) throw abort(AbortCodes.RX_CALL_TIMEOUT, null);
        return n;
    }

    private int readGathered(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), gathered.remaining());
        if (n == 0) return -1;
        int limit = gathered.limit();
        gathered.limit(gathered.position() + n);
        dst.put(gathered);
        gathered.limit(limit);
        return n;
    }

    /** Aborts the call with {@code code}; returns what the caller throws. */
    RxCallAbortedException abort(int code, Throwable cause) {
        call.abort(code);
        RxCallAbortedException e = new RxCallAbortedException(CallState.LOCALLY_ABORTED, code);
        if (cause != null) e.initCause(cause);
        return e;
    }
}
