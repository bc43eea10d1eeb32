package org.rxrpc.rxperf;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.DiscardNotifier;
import org.rxrpc.api.NewCallNotifier;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;
import org.rxrpc.api.RxService;
import org.rxrpc.service.support.CallSlots;

/**
 * The rxperf server as Linux's net/rxrpc/rxperf.c serves it, in kernel-service mode: a worker charges
 * idle handler slots and is woken by every new-call notification; the handlers run the calls
 * ({@link CallSlots}). The I/O thread only hands the new call over (no allocation) and unparks.
 */
public final class RxperfServer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final long READ_WAIT_SECONDS = 3600;

    private final boolean verify;
    private final CallSlots<ByteBuffer> slots;

    /**
     * A server not yet listening: register {@link #newCallNotifier()} and {@link #discardNotifier()}
     * (directly with {@link RxEndpoint#listen}, or as whiteboard services), then {@link #start} it.
     *
     * @param name the worker thread's name (the handler threads get it with a suffix)
     * @param maxLiveCalls calls served at once (one handler thread each); the worker charges only idle
     *     handlers, so beyond this many clients wait (and finally meet BUSY) until a call ends
     * @param verify check every request byte against the payload pattern (abort 1000 on a mismatch)
     */
    public RxperfServer(String name, int maxLiveCalls, boolean verify) {
        this.verify = verify;
        this.slots = new CallSlots<>(name, maxLiveCalls, () -> ByteBuffer.allocate(CHUNK), this::serve);
    }

    /** Told on the I/O thread of each charged call made live: wakes its handler and the worker. */
    public NewCallNotifier newCallNotifier() {
        return slots.newCallNotifier();
    }

    /** Told of each charged call discarded when the service closes: frees its handler slot. */
    public DiscardNotifier discardNotifier() {
        return slots.discardNotifier();
    }

    /** Starts serving {@code listened}, a service listened with this server's notifiers. */
    public void start(RxService listened) {
        slots.start(listened);
    }

    /**
     * Listens for rxperf (service 147) on {@code endpoint} and starts serving.
     *
     * @param backlog calls preallocated at most (1..32)
     */
    public static RxperfServer start(RxEndpoint endpoint, int backlog, int maxLiveCalls, boolean verify) {
        RxperfServer server = new RxperfServer("rxperf-worker", maxLiveCalls, verify);
        server.start(endpoint.listen(Rxperf.SERVICE_ID, backlog, server.newCallNotifier(), server.discardNotifier()));
        return server;
    }

    public RxService service() {
        return slots.service();
    }

    public long callsServed() {
        return slots.callsServed();
    }

    public int liveCalls() {
        return slots.liveCalls();
    }

    private void serve(RxCall call, ByteBuffer buf) throws InterruptedException {
        buf.clear().limit(16);
        if (!readFully(call, buf)) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return;
        }
        int version = buf.getInt(0);
        int op = buf.getInt(4);
        if (version != Rxperf.VERSION) {
            call.abort(AbortCodes.RX_USER_ABORT);
            return;
        }
        long requestBytes;
        long replyBytes;
        buf.clear().limit(op == Rxperf.OP_RPC ? 8 : 4);
        if (op != Rxperf.OP_SEND && op != Rxperf.OP_RECV && op != Rxperf.OP_RPC) {
            call.abort(AbortCodes.RXGEN_OPCODE);
            return;
        }
        if (!readFully(call, buf)) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
            return;
        }
        if (op == Rxperf.OP_SEND) {
            requestBytes = buf.getInt(0) & 0xFFFFFFFFL;
            replyBytes = 0;
        } else if (op == Rxperf.OP_RECV) {
            requestBytes = 0;
            replyBytes = buf.getInt(0) & 0xFFFFFFFFL;
        } else {
            requestBytes = buf.getInt(0) & 0xFFFFFFFFL;
            replyBytes = buf.getInt(4) & 0xFFFFFFFFL;
        }
        long offset = 0;
        while (offset < requestBytes) {
            buf.clear().limit((int) Math.min(CHUNK, requestBytes - offset));
            int n = call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS);
            if (n < 0) {
                call.abort(AbortCodes.RXGEN_SS_UNMARSHAL);
                return;
            }
            if (verify && Rxperf.checkPattern(buf.array(), 0, n, offset) >= 0) {
                call.abort(Rxperf.ABORT_BAD_PAYLOAD);
                return;
            }
            offset += n;
        }
        buf.clear().limit(1);
        if (call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS) != -1) {
            call.abort(AbortCodes.RXGEN_SS_UNMARSHAL); // more request bytes than announced
            return;
        }
        offset = 0;
        while (offset < replyBytes) {
            int n = (int) Math.min(CHUNK, replyBytes - offset);
            buf.clear();
            Rxperf.fillPattern(buf.array(), 0, n, offset);
            buf.limit(n);
            call.send(buf, false);
            offset += n;
        }
        buf.clear().putInt(Rxperf.COOKIE).flip();
        call.send(buf, true); // close() then leaves the transport to collect the final ACK
    }

    /** Fills {@code buf} up to its limit; false if the message ended first. */
    private static boolean readFully(RxCall call, ByteBuffer buf) throws InterruptedException {
        while (buf.hasRemaining()) {
            if (call.receive(buf, READ_WAIT_SECONDS, TimeUnit.SECONDS) < 0) return false;
        }
        return true;
    }

    /** Stops listening (the discard notifier sees every charged call), then ends the threads. */
    @Override
    public void close() {
        slots.close();
    }
}
