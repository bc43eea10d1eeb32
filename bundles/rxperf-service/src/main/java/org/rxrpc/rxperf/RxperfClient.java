package org.rxrpc.rxperf;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.CallOptions;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxEndpoint;

/** Makes rxperf calls: SEND, RECV or RPC with pattern payloads, streaming, with the reply checked. */
public final class RxperfClient {
    private static final int CHUNK = 64 * 1024;

    private final RxEndpoint endpoint;
    private final InetSocketAddress server;
    private final CallOptions options;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    private final ByteBuffer pattern = PatternSlices.newView();

    /** One client per thread: it reuses its buffer between calls. */
    public RxperfClient(RxEndpoint endpoint, InetSocketAddress server, CallOptions options) {
        this.endpoint = endpoint;
        this.server = server;
        this.options = options;
    }

    /** The reply did not have the announced length, the pattern, or the cookie. */
    public static final class BadReplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadReplyException(String message) {
            super(message);
        }
    }

    /**
     * Runs one call of {@code op} with {@code requestBytes} out and {@code replyBytes} back (the sizes
     * the op does not use are ignored).
     *
     * @throws org.rxrpc.api.RxCallAbortedException if the call was aborted (by the server or a timeout)
     * @throws BadReplyException if the reply was wrong
     */
    public void call(int op, long requestBytes, long replyBytes, boolean verify) throws InterruptedException {
        long out = op == Rxperf.OP_RECV ? 0 : requestBytes;
        long back = op == Rxperf.OP_SEND ? 0 : replyBytes;
        try (RxCall call = endpoint.newCall(server, Rxperf.SERVICE_ID, options, null)) {
            buf.clear();
            buf.putInt(Rxperf.VERSION).putInt(op).putInt(CHUNK).putInt(CHUNK);
            if (op == Rxperf.OP_SEND) buf.putInt((int) out);
            else if (op == Rxperf.OP_RECV) buf.putInt((int) back);
            else buf.putInt((int) out).putInt((int) back);
            buf.flip();
            // The header, then slices of the precomputed pattern: the transport packs them as they come
            // (a packet leaves full or last), so the wire is as if written at once, as OpenAFS's client does.
            call.send(buf, out == 0);
            long offset = 0;
            while (offset < out) {
                int n = (int) Math.min(PatternSlices.CHUNK, out - offset);
                call.send(PatternSlices.slice(pattern, offset, n), offset + n == out);
                offset += n;
            }
            offset = 0;
            long expected = back + 4;
            byte[] cookie = new byte[4];
            while (true) {
                buf.clear();
                int n = call.receive(buf, 3600, TimeUnit.SECONDS);
                if (n < 0) break;
                int from = 0;
                if (offset < back) {
                    // Payload bytes are looked at only when verifying; the cookie after them always.
                    from = (int) Math.min(n, back - offset);
                    int bad = verify ? Rxperf.checkPattern(buf.array(), 0, from, offset) : -1;
                    if (bad >= 0) {
                        call.abort(AbortCodes.RX_USER_ABORT);
                        throw new BadReplyException("reply byte " + (offset + bad) + " is " + buf.get(bad));
                    }
                }
                for (int i = from; i < n; i++) {
                    long at = offset + i;
                    if (at < expected) cookie[(int) (at - back)] = buf.get(i);
                }
                offset += n;
                if (offset > expected) throw new BadReplyException("reply longer than " + expected + " bytes");
            }
            if (offset != expected) throw new BadReplyException("reply of " + offset + " bytes, expected " + expected);
            int c = ByteBuffer.wrap(cookie).getInt();
            if (c != Rxperf.COOKIE) throw new BadReplyException("bad cookie " + Integer.toHexString(c));
        }
    }
}
