package org.rxrpc.xdr;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.rxrpc.api.AbortCodes;
import org.rxrpc.api.RxAbortException;
import org.rxrpc.api.RxCall;
import org.rxrpc.api.RxCallAbortedException;

/**
 * The base of generated dispatchers, following the server stubs of OpenAFS's rxgen: an unreadable opcode
 * aborts with {@code RXGEN_DECODE}, an unknown one with {@code RXGEN_OPCODE}, a short or overlong request
 * with {@code RXGEN_SS_UNMARSHAL}, a reply that cannot be encoded with {@code RXGEN_SS_MARSHAL}, and an
 * {@link RxAbortException} from the implementation with its code. A failure of the implementation itself
 * (any other exception) aborts with {@code RX_USER_ABORT} and is logged.
 */
public abstract class RxgenDispatcher implements Dispatcher {
    private static final System.Logger LOG = System.getLogger(RxgenDispatcher.class.getName());
    private final long readTimeoutNanos;

    /** @param readTimeout the longest wait for the next request bytes */
    protected RxgenDispatcher(Duration readTimeout) {
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive");
        }
        this.readTimeoutNanos = readTimeout.toNanos();
    }

    /** With a 60-second read timeout. */
    protected RxgenDispatcher() {
        this(Duration.ofSeconds(60));
    }

    @Override
    public final void dispatch(RxCall call) {
        serve(call, CallIo.acquire(call, readTimeoutNanos));
    }

    /**
     * Serves a call whose whole request has been gathered already ({@code request}, position to limit, the
     * opcode first), as an event-loop handler's {@code onRequest} receives it on the transport's I/O thread:
     * the same decoding, aborts and reply as {@link #dispatch}, without a read that could wait. The
     * procedure runs on the calling thread, so it must not block there; its reply is sent as it is encoded
     * (on the I/O thread a send never waits: a reply of more than 255 packets aborts the call).
     */
    public final void dispatchGathered(RxCall call, ByteBuffer request) {
        serve(call, CallIo.acquireGathered(call, request));
    }

    private void serve(RxCall call, CallIo io) {
        ServerCall server = new ServerCall(io);
        int opcode = -1;
        try {
            try {
                opcode = io.in().readInt();
            } catch (XdrException e) {
                call.abort(AbortCodes.RXGEN_DECODE);
                return;
            }
            serve(opcode, server);
            server.finish();
        } catch (XdrException e) {
            call.abort(server.replying() ? AbortCodes.RXGEN_SS_MARSHAL : AbortCodes.RXGEN_SS_UNMARSHAL);
        } catch (RxAbortException e) {
            call.abort(e.abortCode());
        } catch (RxCallAbortedException e) {
            // the peer aborted, or the read timed out (the call is already aborted)
        } catch (CallInterrupted e) {
            call.abort(AbortCodes.RX_CALL_DEAD);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (server.replying()) {
                call.abort(AbortCodes.RXGEN_SS_MARSHAL);
            } else {
                LOG.log(Level.WARNING, "procedure " + opcode + " failed", e);
                call.abort(AbortCodes.RX_USER_ABORT);
            }
        } finally {
            io.release();
            call.close();
        }
    }

    /**
     * Decodes the arguments of {@code opcode} from {@code call.in()}, ends the request, runs the procedure and
     * encodes its OUT values into {@code call.out()}; throws {@code RxAbortException(RXGEN_OPCODE)} for an
     * opcode it does not know.
     */
    protected abstract void serve(int opcode, ServerCall call);

    /** What a generated dispatcher throws for an opcode it does not know. */
    protected static RxAbortException unknownOpcode(int opcode) {
        return new RxAbortException(AbortCodes.RXGEN_OPCODE, "unknown opcode " + opcode);
    }
}
