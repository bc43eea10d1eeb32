package org.rxrpc.service;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;
import org.rxrpc.api.RxCall;

/**
 * A handler whose usual call is short and never blocks, served without a thread hand-off: the transport's
 * I/O thread gathers the request and calls {@link #onRequest} itself, which replies at once. That saves
 * two thread wake-ups per call (to a handler thread and back), the largest cost of a small call.
 *
 * <p>Calls that do not fit go to {@link #handle(RxCall)} on a handler thread as before, reading the whole
 * request from its first byte: a request longer than {@link #maxInlineRequestBytes()}, or one for which
 * {@code onRequest} returns false (say, a large reply: on the I/O thread a send must not wait).
 */
@ConsumerType
public interface RxEventLoopHandler extends RxCallHandler {
    /**
     * Service property (Boolean, or "true"/"false" from a configuration): false serves every call of this
     * handler on handler threads, as a plain {@link RxCallHandler}. Default true.
     */
    String EVENT_LOOP = "rxrpc.eventLoop";

    /** Requests up to this size are gathered on the I/O thread (default 16 KiB); longer ones go to handle(). */
    default int maxInlineRequestBytes() {
        return 16 * 1024;
    }

    /**
     * On the endpoint's I/O thread, once the whole request has arrived ({@code request}, position to
     * limit; valid only during this call). Either reply with {@code call.send(reply, true)} and return
     * true (the call is then closed for you; on the I/O thread a send never waits: up to 255 packets,
     * about 350 KB, may be queued, more throws {@link IllegalStateException}), or return false without
     * touching the call to have {@link #handle(RxCall)} serve it on a handler thread.
     *
     * <p>Must not block or run long: every call of the endpoint waits meanwhile (over a millisecond is
     * counted and logged). Throwing {@link org.rxrpc.api.RxAbortException} aborts the call with its code;
     * any other exception aborts it with RX_USER_ABORT and is logged.
     */
    boolean onRequest(RxCall call, ByteBuffer request) throws Exception;
}
