package org.rxrpc.xdr;

import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.RxCallAbortedException;

/**
 * A client call between its request arguments and its reply values. For a split procedure, stream raw
 * bytes with {@link #out()} (more request) and {@link #in()} (reply bytes before the OUT values; the first
 * read ends the request), then call {@link #end()}. Always close it: closing an unfinished call aborts it.
 *
 * @param <R> the OUT values
 */
public final class SplitCall<R> implements CallStream, AutoCloseable {
    private final CallIo io;
    private final ReplyReader<R> reply;
    private boolean closed;

    SplitCall(CallIo io, ReplyReader<R> reply) {
        this.io = io;
        this.reply = reply;
    }

    @Override
    public XdrEncoder out() {
        open();
        return io.out();
    }

    @Override
    public XdrDecoder in() {
        open();
        return io.in();
    }

    /**
     * Ends the request if it is still open, reads the OUT values and checks the reply ends there.
     *
     * @throws RxCallAbortedException with the server's abort code, a timeout, or RXGEN_CC_UNMARSHAL
     */
    public R end() throws InterruptedException {
        open();
        try {
            try {
                io.out().finish();
            } catch (XdrException e) {
                throw io.abort(AbortCodes.RXGEN_CC_MARSHAL, e);
            }
            try {
                R r = reply.read(io.in());
                io.in().expectEnd();
                return r;
            } catch (XdrException e) {
                throw io.abort(AbortCodes.RXGEN_CC_UNMARSHAL, e);
            }
        } catch (CallInterrupted e) {
            throw (InterruptedException) e.getCause();
        } finally {
            close();
        }
    }

    private void open() {
        if (closed) throw new IllegalStateException("call already ended");
    }

    /** Releases the call; one not ended by {@link #end()} is aborted (RX_USER_ABORT). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        io.call().close();
        io.release();
    }
}
