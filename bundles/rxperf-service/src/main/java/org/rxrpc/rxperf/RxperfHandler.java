package org.rxrpc.rxperf;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.RxCall;
import org.rxrpc.service.RxCallHandler;
import org.rxrpc.service.RxEventLoopHandler;

/**
 * The rxperf service as Linux's net/rxrpc/rxperf.c serves it: reads the request header (version,
 * operation, sizes), reads and optionally verifies the payload, sends the pattern reply and the cookie.
 * Unknown operation: RXGEN_OPCODE; bad version: RX_USER_ABORT; short or overlong request:
 * RXGEN_SS_UNMARSHAL (as Linux). Serve it with a {@link org.rxrpc.service.ServiceHost}, or publish it
 * as an OSGi service (the rxperf bundle does).
 */
// RxCallHandler named as well (RxEventLoopHandler extends it): the API baseline sees it is still there.
public class RxperfHandler implements RxEventLoopHandler, RxCallHandler {
    private static final int CHUNK = 64 * 1024;
    /** Replies up to this size are sent from the I/O thread; larger ones from a handler thread. */
    private static final int INLINE_REPLY_MAX = 16 * 1024;
    /** Version, operation, two window sizes, and up to two payload sizes. */
    private static final int HEADER_MAX = 24;

    private static final long READ_WAIT_SECONDS = 3600;

    /** One buffer per handler thread. */
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocate(CHUNK));

    /** A view of the precomputed pattern per handler thread. */
    private final ThreadLocal<ByteBuffer> pattern = ThreadLocal.withInitial(PatternSlices::newView);

    private volatile boolean verify;
    private volatile long maxRequestBytes = Rxperf.DEFAULT_MAX_BYTES;
    private volatile long maxReplyBytes = Rxperf.DEFAULT_MAX_BYTES;

    /** @param verify check every request byte against the payload pattern (abort 1000 on a mismatch) */
    public RxperfHandler(boolean verify) {
        this.verify = verify;
    }

    /**
     * @param maxRequestBytes, maxReplyBytes the largest payloads served; a call announcing more is aborted
     *     with {@link Rxperf#ABORT_TOO_LARGE} before a byte of it is read or sent
     */
    public RxperfHandler(boolean verify, long maxRequestBytes, long maxReplyBytes) {
        this.verify = verify;
        limits(maxRequestBytes, maxReplyBytes);
    }

    protected void verify(boolean value) {
        verify = value;
    }

    protected void limits(long request, long reply) {
        if (request < 0 || reply < 0) throw new IllegalArgumentException("limits must not be negative");
        maxRequestBytes = request;
        maxReplyBytes = reply;
    }

    /**
     * On the I/O thread, the whole request in hand: a small reply is sent at once; anything else (a
     * large reply, a request that is not well formed) goes to {@link #handle} on a handler thread.
     */
    @Override
    public boolean onRequest(RxCall call, ByteBuffer request) throws InterruptedException {
        // version, operation, two window sizes (ignored, as Linux does), then the operation's sizes
        int length = request.remaining();
        if (length < 20 || request.getInt(0) != Rxperf.VERSION) return false;
        int op = request.getInt(4);
        int header;
        long requestBytes;
        long replyBytes;
        if (op == Rxperf.OP_SEND) {
            header = 20;
            requestBytes = request.getInt(16) & 0xFFFFFFFFL;
            replyBytes = 0;
        } else if (op == Rxperf.OP_RECV) {
            header = 20;
            requestBytes = 0;
            replyBytes = request.getInt(16) & 0xFFFFFFFFL;
        } else if (op == Rxperf.OP_RPC && length >= HEADER_MAX) {
            header = HEADER_MAX;
            requestBytes = request.getInt(16) & 0xFFFFFFFFL;
            replyBytes = request.getInt(20) & 0xFFFFFFFFL;
        } else {
            return false;
        }
        if (header + requestBytes != length || replyBytes > INLINE_REPLY_MAX) return false;
        if (replyBytes > maxReplyBytes || requestBytes > maxRequestBytes) return false;
        if (verify
                && Rxperf.checkPattern(request.array(), request.arrayOffset() + header, (int) requestBytes, 0) >= 0) {
            call.abort(Rxperf.ABORT_BAD_PAYLOAD);
            return true;
        }
        ByteBuffer buf = scratch.get();
        buf.clear();
        Rxperf.fillPattern(buf.array(), 0, (int) replyBytes, 0);
        buf.position((int) replyBytes);
        buf.putInt(Rxperf.COOKIE).flip();
        call.send(buf, true);
        return true;
    }

    @Override
    public void handle(RxCall call) throws InterruptedException {
        ByteBuffer buf = scratch.get();
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
        if (requestBytes > maxRequestBytes || replyBytes > maxReplyBytes) {
            call.abort(Rxperf.ABORT_TOO_LARGE);
            return;
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
        ByteBuffer view = pattern.get();
        while (offset < replyBytes) {
            int n = (int) Math.min(PatternSlices.CHUNK, replyBytes - offset);
            call.send(PatternSlices.slice(view, offset, n), false);
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
}
